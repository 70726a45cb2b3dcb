-- expect: exit 2
-- message: --set name=
-- args: check "--set=name=('x'):rep(20000):find('.-.-.-.-y')"
-- noline: a --set argument error names the argument
-- Stuck inside C: the CPU-time limit of the load ends it (exit 2, about 6 s).
return { devices = { { count = 10 } } }
