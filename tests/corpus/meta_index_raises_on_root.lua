-- expect: exit 2
-- message: has a metatable
-- Tables with a metatable are refused before any metamethod could run.
local strict = { __index = function(_, k) error("undefined field " .. k, 2) end }
return setmetatable({ devices = { { count = 1 } } }, strict)
