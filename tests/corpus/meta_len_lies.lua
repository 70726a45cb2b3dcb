-- expect: exit 0
-- __len is not consulted: the list has its real length of one group.
local groups = setmetatable({ { count = 1 } }, { __len = function() return 5 end })
return { devices = groups }
