-- expect: exit 2
-- message: --set name=
-- args: check "--set=name=(function() while true do end end)()"
-- noline: a --set argument error names the argument
return { devices = { { count = 10 } } }
