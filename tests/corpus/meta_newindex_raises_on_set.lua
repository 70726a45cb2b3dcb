-- expect: exit 2
-- message: has a metatable
-- args: check --set duration=60
-- Tables with a metatable are refused; --set writes with rawset, not __newindex.
local frozen = { devices = { { count = 10 } } }
return setmetatable({}, {
  __index = frozen,
  __newindex = function() error("scenario table is read-only", 2) end,
})
