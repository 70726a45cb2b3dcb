-- expect: exit 2
-- message: --set name=
-- args: check "--set=name=('x'):rep(1e8)"
-- noline: a --set argument error names the argument
return { devices = { { count = 10 } } }
