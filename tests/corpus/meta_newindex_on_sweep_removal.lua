-- expect: exit 2
-- message: has a metatable
-- args: check
-- Tables with a metatable are refused; sweep is removed with rawset, not __newindex.
local s = {
  devices = { { count = 1 } },
  sweep = { ["devices[1].count"] = { 1, 2 } },
}
local proxy = setmetatable({}, {
  __index = s,
  __newindex = function() error("locked") end,
})
return proxy
