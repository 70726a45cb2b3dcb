-- expect: exit 2
-- message: devices[1].module.tx_dbm: unknown field
local mtc = require "mtc"
return mtc.scenario {
  devices = { { count = 10, module = mtc.with(mtc.modules.bg96, { tx_dbm = 20 }) } },
}
