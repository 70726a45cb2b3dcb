-- expect: exit 2
-- message: sara_n210
-- known-failing: lua/unknown module names (modules.sara_n210 is nil: the group silently gets the default module)
local modules = require "modules"
return {
  devices = { { count = 10, module = modules.sara_n210 } },
}
