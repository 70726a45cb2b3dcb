-- expect: exit 2
-- message: --set duration=1e999
-- message: must be a finite number
-- args: check --set duration=1e999
-- noline: a --set argument error names the argument
return { devices = { { count = 1 } } }
