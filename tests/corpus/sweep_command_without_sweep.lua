-- expect: exit 2
-- message: no `sweep` in the scenario
-- args: sweep --list
-- noline: the whole file lacks a sweep
return { devices = { { count = 1 } } }
