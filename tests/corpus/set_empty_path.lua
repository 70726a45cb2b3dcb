-- expect: exit 2
-- message: --set =5
-- args: check --set =5
-- noline: a --set argument error names the argument
return { devices = { { count = 10 } } }
