-- expect: exit 2
-- message: an empty zipped group
return { devices = { { count = 1 } }, sweep = { {} } }
