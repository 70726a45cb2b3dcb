-- battery_table.lua: battery life in the TR 45.820 style, as a table.
--
-- Twenty devices per combination of coupling loss 144, 154, 164 dB x payload
-- 50 or 200 bytes x a report every 2 hours or once a day x EDT off/on x WUS
-- off/on: 48 groups in one NB-IoT cell that allows EDT. Devices sleep in PSM
-- after a 20 s active time (paging monitored with or without WUS), report
-- with release assistance and expect an acknowledgement. The printed
-- summary (and /devices/battery_life_years) is the table; a week averages
-- the daily reporters over several reports.
local mtc = require "mtc"

local devices = {}
for _, cl in ipairs({ 144, 154, 164 }) do
  for _, bytes in ipairs({ 50, 200 }) do
    for _, period in ipairs({ { "2h", mtc.hours(2) }, { "1d", mtc.days(1) } }) do
      for _, edt in ipairs({ false, true }) do
        for _, wus in ipairs({ false, true }) do
          devices[#devices + 1] = {
            name = string.format("%d/%dB/%s%s%s", cl, bytes, period[1], edt and "/edt" or "",
                                 wus and "/wus" or ""),
            count = 20,
            traffic = mtc.traffic.periodic(period[2], mtc.payload.fixed(bytes)),
            coverage = mtc.coverage.fixed(cl),
            module = mtc.modules.tr45820,
            battery = { capacity_wh = 5 },
            idle = { psm = true, t3324_s = 20, wus = wus },
            edt = edt,
            rai = true,
          }
        end
      end
    end
  end
end

return mtc.scenario {
  name = "battery_table",
  duration = mtc.days(7),
  seed = 1,
  cell = { rat = "nbiot", edt = true },
  devices = devices,
}
