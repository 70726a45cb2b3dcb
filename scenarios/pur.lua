-- pur.lua: preconfigured uplink resources (Rel-16 PUR) against EDT and
-- legacy random access, in good (144 dB) and deep (164 dB) coverage.
--
-- Six groups of 20 static meters on one NB-IoT cell that allows EDT and
-- PUR: each reports 50 bytes every 8192 hyperframes (83886.08 s, the
-- longest PUR period, 23.3 h), in PSM between reports (TR 45.820 module,
-- 5 Wh), release assistance on, the application's acknowledgement down:
--   ra_*   legacy: random access, connection, data, answer, release;
--   edt_*  EDT: the report in Msg3, the answer in Msg4 (RRCEarlyDataComplete);
--   pur_*  PUR of the same period: the first report by EDT (whose
--          RRCEarlyDataComplete carries the PUR-Config), then each report on
--          its occasion, the answer in the response; EDT again where TA
--          validation fails.
-- The PUR and EDT transport blocks are the same (776 bits: 50 bytes with the
-- 45-byte RRCEarlyDataRequest wrap need 760). 30 periods (29 days): a PUR
-- device sends 29 or 30 of its reports on the resource.
--
--   mtcsim run scenarios/pur.lua
--   /usr/bin/python3 scripts/pur_compare.py pur.h5     -- energy per report
--
-- Sensitivity (README, "Preconfigured uplink resources (PUR)"): the RSRP
-- change between occasions, an assumption,
--   mtcsim run scenarios/pur.lua --set 'devices[3].pur.rsrp_change_sd_db=6'
-- and the report size or period (--set devices[k].traffic=...).
local mtc = require "mtc"

local P = 83886.08 -- PUR periodicity8192: 8192 x 10.24 s
local BYTES = 50

local function group(name, cl, how)
  return {
    name = name,
    count = 20,
    traffic = mtc.traffic.periodic(P, mtc.payload.fixed(BYTES)),
    coverage = mtc.coverage.fixed(cl),
    module = mtc.modules.tr45820,
    battery = { capacity_wh = 5 },
    rai = true,
    edt = how ~= "ra",
    pur = { enabled = how == "pur", periodicity_s = P, tbs_bits = 776 },
  }
end

return mtc.scenario {
  name = "pur",
  duration = 30 * P,
  seed = 16,
  replications = 1,
  cell = { rat = "nbiot", edt = true, pur = { enabled = true } },
  devices = {
    group("ra_144", 144, "ra"),
    group("edt_144", 144, "edt"),
    group("pur_144", 144, "pur"),
    group("ra_164", 164, "ra"),
    group("edt_164", 164, "edt"),
    group("pur_164", 164, "pur"),
  },
}
