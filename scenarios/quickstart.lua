-- quickstart.lua: the default scenario of the README's run command.
--
-- 1,200 devices for one simulated day, two replications: smart meters with
-- the TR 45.820 periodic reporting mix sleeping in PSM, and alarm sensors
-- with rare Poisson reports resting in idle light sleep. The radio exchange
-- is the PLACEHOLDER (fixed transmit + receive time) until the NB-IoT model
-- lands.
local mtc = require "mtc"

return mtc.scenario {
  name = "quickstart",
  duration = mtc.days(1),
  seed = 1,
  replications = 2,
  devices = {
    {
      name = "meters",
      count = 1000,
      traffic = mtc.tr45820.mar_periodic(),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      exchange = mtc.placeholder_exchange(mtc.ms(100), mtc.ms(200)),
      sleep = "psm",
    },
    {
      name = "alarms",
      count = 200,
      traffic = mtc.traffic.poisson(mtc.hours(6), mtc.payload.fixed(50)),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      exchange = mtc.placeholder_exchange(mtc.ms(100), mtc.ms(200)),
      sleep = "idle",
    },
  },
}
