-- protocols.lua: what the application protocol stack costs in battery life.
--
-- Every profile of scenarios/lib/stacks.lua at coupling loss 144, 154 and
-- 164 dB: twenty devices per combination in one NB-IoT cell that allows EDT,
-- each sending a 50-byte reading once a day from PSM (20 s active time),
-- with release assistance, on the TR 45.820 module and a 5 Wh battery. A
-- device uses EDT only when its stack needs no exchange besides the report
-- and its single answer and the whole message fits edt-TBS (the first
-- report of a UP-EDT device and every session set-up use a connection).
-- The summary's battery-life column is the comparison; per device it is
-- /devices/battery_life_years, per group /groups.
local mtc = require "mtc"
local stacks = require "stacks"

-- Fixed order (ipairs over a list), so group numbering never depends on
-- Lua's hash order.
local order = {
  "nidd", "udp_ipv6_schc", "udp_ipv6_rohc", "udp_ipv6", "coap_non", "coap_con",
  "coap_oscore", "coap_dtls13_resumed", "coap_dtls12_resumed", "coap_dtls13_full",
  "coap_dtls12_full", "mqtt_tls13", "lwm2m_update", "lwm2m_register",
}

local devices = {}
for _, cl in ipairs({ 144, 154, 164 }) do
  for _, key in ipairs(order) do
    local stack = stacks[key]
    devices[#devices + 1] = {
      name = string.format("%d/%s", cl, stack.name),
      count = 20,
      traffic = mtc.traffic.periodic(mtc.days(1), mtc.payload.fixed(50)),
      coverage = mtc.coverage.fixed(cl),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      idle = { psm = true, t3324_s = 20 },
      edt = true,
      rai = true,
      stack = stack,
    }
  end
end

return mtc.scenario {
  name = "protocols",
  duration = mtc.days(7),
  seed = 1,
  cell = { rat = "nbiot", edt = true },
  devices = devices,
}
