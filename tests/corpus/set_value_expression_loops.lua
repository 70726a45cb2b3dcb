-- expect: exit 2
-- message: --set name=
-- args: check "--set=name=(function() while true do end end)()"
-- noline: a --set argument error names the argument
-- known-failing: lua/--set evaluation (the value is run as code without the budget: hangs)
return { devices = { { count = 10 } } }
