-- expect: exit 2
-- message: sweep["duration"]: expected a list of values
return { devices = { { count = 1 } }, sweep = { duration = 3600 } }
