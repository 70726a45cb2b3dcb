-- expect: exit 2
-- message: --set duration.hours=5
-- message: not a table
-- args: check --set duration.hours=5
-- noline: a --set argument error names the argument
return { duration = 3600, devices = { { count = 10 } } }
