-- expect: exit 2
-- message: devices[1].module: expected a table, got string
return { devices = { { count = 1, module = "bg96" } } }
