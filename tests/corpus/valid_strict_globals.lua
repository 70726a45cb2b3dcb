-- expect: exit 0
-- The strict-globals idiom: reading an undefined global raises. The
-- loader itself must not trip over it after the script returns.
setmetatable(_G, {
  __index = function(_, k) error("undefined global " .. tostring(k), 2) end,
  __newindex = function(_, k) error("new global " .. tostring(k), 2) end,
})
local mtc = require "mtc"
return mtc.scenario {
  devices = { { count = 10, traffic = mtc.traffic.periodic(600) } },
}
