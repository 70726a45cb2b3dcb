-- expect: exit 2
-- message: unfinished long comment
--[[ the groups below are disabled for now
return { devices = { { count = 1 } } }
