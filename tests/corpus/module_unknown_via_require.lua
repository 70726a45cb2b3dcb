-- expect: exit 2
-- message: sara_n210
local modules = require "modules"
return {
  devices = { { count = 10, module = modules.sara_n210 } },
}
