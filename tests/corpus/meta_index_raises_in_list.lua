-- expect: exit 2
-- message: ce_levels
local strict = { __index = function(_, k) error("no field " .. tostring(k), 2) end }
return {
  cell = { ce_levels = { setmetatable({ nprach_reps = 2 }, strict), {}, {} } },
  devices = { { count = 1 } },
}
