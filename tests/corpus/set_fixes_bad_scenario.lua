-- expect: exit 0
-- args: check --set devices[1].count=5
-- The scenario's bad count is overridden before it is checked.
return { devices = { { count = 0 } } }
