-- expect: exit 2
-- message: --set devices[99999999999999999999].count=5
-- args: check --set devices[99999999999999999999].count=5
-- noline: a --set argument error names the argument
return { devices = { { count = 10 } } }
