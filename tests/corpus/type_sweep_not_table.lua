-- expect: exit 2
-- message: sweep: expected a table of path = {values}
return { devices = { { count = 1 } }, sweep = "devices[1].count" }
