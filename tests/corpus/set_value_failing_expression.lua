-- expect: exit 2
-- message: --set duration=
-- args: check "--set=duration=error('x')"
-- noline: a --set argument error names the argument
return { devices = { { count = 10 } } }
