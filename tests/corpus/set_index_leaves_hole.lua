-- expect: exit 2
-- message: --set devices[3].count=10
-- message: devices
-- args: check --set devices[3].count=10
-- noline: a --set argument error names the argument
return { devices = { { count = 10 } } }
