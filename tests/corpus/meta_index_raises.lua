-- expect: exit 2
-- message: has a metatable
-- Tables with a metatable are refused before any metamethod could run.
local strict = {
  __index = function(t, k) error("no such field: " .. tostring(k), 2) end,
}
return {
  devices = { setmetatable({ count = 10 }, strict) },
}
