-- expect: exit 2
-- message: bg69
-- known-failing: lua/unknown module names (mtc.modules.bg69 is nil: the group silently gets the default module)
local mtc = require "mtc"
return mtc.scenario {
  devices = {
    { count = 10, module = mtc.modules.bg69 },
  },
}
