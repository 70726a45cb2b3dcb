-- expect: exit 2
-- message: has a metatable
-- (scenario tables must be plain data: any metatable is refused)
-- __len is not consulted: the list has its real length of one group.
local groups = setmetatable({ { count = 1 } }, { __len = function() return 5 end })
return { devices = groups }
