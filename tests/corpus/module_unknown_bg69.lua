-- expect: exit 2
-- message: bg69
local mtc = require "mtc"
return mtc.scenario {
  devices = {
    { count = 10, module = mtc.modules.bg69 },
  },
}
