-- expect: exit 2
-- message: BG96
-- known-failing: lua/unknown module names (mtc.modules.BG96 is nil: the group silently gets the default module)
local mtc = require "mtc"
return mtc.scenario {
  devices = { { count = 10, module = mtc.modules.BG96 } },
}
