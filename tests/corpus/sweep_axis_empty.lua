-- expect: exit 2
-- message: expected 1 to 100000 values
return { devices = { { count = 1 } }, sweep = { ["devices[1].count"] = {} } }
