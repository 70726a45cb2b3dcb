-- expect: exit 2
-- message: --set name=
-- args: check "--set=name=('x'):rep(20000):find('.-.-.-.-y')"
-- noline: a --set argument error names the argument
-- known-failing: lua/--set evaluation (the value is run as code: a backtracking pattern hangs)
return { devices = { { count = 10 } } }
