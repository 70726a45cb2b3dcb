-- expect: exit 2
-- message: undefined field
-- known-failing: lua/protected calls (a strict root table raises on a missing optional field during conversion: abort)
local strict = { __index = function(_, k) error("undefined field " .. k, 2) end }
return setmetatable({ devices = { { count = 1 } } }, strict)
