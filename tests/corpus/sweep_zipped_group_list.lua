-- expect: exit 2
-- message: a zipped group maps paths to lists of values
return { devices = { { count = 1 } }, sweep = { { { 1, 2 }, { 3, 4 } } } }
