-- stacks.lua: application protocol stacks for devices[i].stack.
--
--   local stacks = require "stacks"
--   devices = { { ..., stack = stacks.coap_dtls13_resumed } }
--   -- a variant: mtc.with(stacks.coap_dtls13_full, { session_every = 0 })
--
-- What the sizes include. Everything between the application payload and
-- NB-IoT's NAS / PDCP: IP, UDP or TCP, ROHC or SCHC, CoAP, OSCORE, the
-- DTLS/TLS record layer, MQTT, LwM2M. `ul_overhead_bytes` is added to every
-- report's payload; `answer_bytes` and the `session` / `per_report`
-- exchanges are whole messages with all of these headers. Each exchange is
-- one datagram or TCP segment (one IP header), however many records or
-- handshake messages it carries.
--
-- What they exclude. NB-IoT's own RRC, NAS, PDCP, RLC and MAC overheads
-- (the simulator adds them: cell.cp_overhead_bytes, l2_overhead_bytes);
-- retransmissions (CoAP, DTLS flights, TCP), fragmentation, ICMP, DNS, NTP;
-- ROHC context set-up (IR packets) and SCHC context provisioning; OSCORE
-- key establishment (EDHOC); the application payload itself (for LwM2M
-- Send, the SenML content counts as payload).
--
-- Common assumptions, following the IETF comparison draft cited below:
-- AES-128-CCM with an 8-byte tag (AES_128_CCM_8 / AES-CCM-16-64-128),
-- secp256r1 (P-256) ECDHE and ECDSA, raw public keys (RFC 7250, uncompressed
-- P-256 point) as the certificate-based credential, 1-byte key identifiers,
-- no DTLS Connection ID (RFC 9146 adds 1 byte per record and a few bytes
-- to the handshake), only mandatory (D)TLS extensions, several handshake
-- messages per record, no handshake fragmentation, and a 4-byte CoAP token.
-- 16-byte tags (AES-GCM, ChaCha20-Poly1305) add 8 bytes to every protected
-- record and to handshake flights #2 and #3. X.509 certificate chains would
-- add several hundred bytes per certificate to the full handshakes.
--
-- Sessions. The DTLS profiles set up their session before every report
-- (session_every = 1): a device waking from PSM after hours has usually lost
-- its carrier-NAT binding, so without a Connection ID the server no longer
-- matches its records to the session; the *_resumed profiles show what
-- session resumption saves. mqtt_tls13 and lwm2m_update keep their session
-- (session_every = 0), which needs a NAT-free APN or keep-alives short
-- enough for the NAT (set session_every to model re-connections).
--
-- Sources (the comments cite them by these short names):
--   [CMP]  J. Preuss Mattsson, F. Palombini, M. Vucinic, "Comparison of CoAP
--          Security Protocols", draft-ietf-iotops-security-protocol-
--          comparison (formerly draft-ietf-lwig-security-protocol-
--          comparison); editor's copy github.com/lwig-wg/protocol-comparison,
--          draft-ietf-iotops-security-protocol-comparison.md at commit
--          000fed7 (figures "fig-compare2": handshakes with CCM_8, secp256r1,
--          ECDSA, no Connection ID; "fig-overhead": record overheads;
--          section "Resumption": NewSessionTicket). The same record
--          overheads are in draft-ietf-lwig-security-protocol-comparison.md
--          at commit 002b27c of the same repository.
--   RFCs by number and section; [MQTT] OASIS MQTT Version 3.1.1 (2014);
--   [LWM2M] OMA LightweightM2M Technical Specification V1.1 (Core and
--   Transport bindings); section numbers of the latter are unconfirmed.
--   "(assumption)" marks a deployment choice, "(unconfirmed)" a figure or
--   reference that could not be checked against its source.

local stacks = {}

local function ul(bytes) return { dir = "ul", bytes = bytes } end
local function dl(bytes) return { dir = "dl", bytes = bytes } end

-- Adds 'extra' bytes of lower headers to every exchange of a list.
local function over(extra, list)
  local out = {}
  for i, x in ipairs(list) do out[i] = { dir = x.dir, bytes = x.bytes + extra } end
  return out
end

-- Concatenates lists of exchanges.
local function cat(...)
  local out = {}
  for _, list in ipairs({ ... }) do
    for _, x in ipairs(list) do out[#out + 1] = x end
  end
  return out
end

------------------------------------------------------ network, transport
local IPV6 = 40 -- RFC 8200 §3: fixed IPv6 header (no extension headers)
local UDP = 8 -- RFC 768: UDP header
local TCP = 20 -- RFC 9293 §3.1: TCP header without options
-- RFC 9293 §3.2 / §3.7.1: MSS option (kind 2, length 4) in SYN and SYN-ACK.
-- No timestamps, window scale or SACK: lwIP's defaults (LWIP_TCP_TIMESTAMPS
-- 0 in lwIP's opt.h), and a server only echoes options the client offered
-- (RFC 7323 §2.2/§3.2, RFC 2018 §2) (assumption: an lwIP-like device stack).
local TCP_MSS_OPT = 4
local IP_UDP = IPV6 + UDP -- 48
local IP_TCP = IPV6 + TCP -- 60

-- ROHC (RFC 3095 / RFC 5795) profile 0x0002 (UDP/IP), steady state: UO-0
-- packet of 1 byte (RFC 3095 §5.7.1) with small CID 0, so no Add-CID octet
-- (RFC 5795 §5.2, section unconfirmed), plus the UDP checksum carried as-is
-- in every compressed header (RFC 3095 §5.11 ROHC UDP, section unconfirmed),
-- which IPv6 makes mandatory (RFC 8200 §8.1). IR/IR-DYN packets that set up
-- or refresh the context are not counted.
local ROHC_UO0 = 1
local ROHC_UDP_CSUM = 2
-- SCHC (RFC 8724 §7): a rule that elides every IPv6 and UDP field (static
-- addresses and ports; lengths and checksum computed, RFC 8724 §10) leaves
-- the RuleID only. draft-ietf-lpwan-schc-over-nbiot-13 (SCHC over NIDD,
-- "Rule ID"): RuleID of 2 to 8 bits, packets byte-aligned, SCHC header at
-- most 12 bits for the smallest TB. An 8-bit RuleID: 1 byte (assumption).
local SCHC_RULEID = 1

------------------------------------------------------------------- CoAP
local COAP_HDR = 4 -- RFC 7252 §3: Ver, T, TKL, Code, Message ID
-- RFC 7252 §5.3.1: at least 32 bits of randomness in tokens of clients on
-- the general Internet; kept at 4 bytes under DTLS/OSCORE too (assumption).
local COAP_TOKEN = 4
-- RFC 7252 §3.1 option encoding (delta and length nibbles, one extended
-- byte for values 13..268):
local COAP_URI_PATH_1 = 2 -- Uri-Path (11, §5.10.1), 1-char segment: 1 + 1 (assumption: "/d")
local COAP_URI_PATH_2 = 3 -- Uri-Path with a 2-char segment ("rd", "dp"): 1 + 2
-- Content-Format (12, §5.10.3), 1-byte value (60 cbor, 40 link-format, 112 senml+cbor; §12.3
-- registry): 1 + 1
local COAP_CONTENT_FORMAT = 2
-- RFC 7967 §2: No-Response (258) after Content-Format: delta 246 = nibble
-- 13 + 1 extended byte, length 1, value 26 (suppress 2.xx, 4.xx, 5.xx).
local COAP_NO_RESPONSE = 3
local COAP_MARKER = 1 -- RFC 7252 §3: payload marker 0xFF
-- A report: POST /d with Content-Format, token, payload marker = 13 bytes.
local COAP_REPORT = COAP_HDR + COAP_TOKEN + COAP_URI_PATH_1 + COAP_CONTENT_FORMAT + COAP_MARKER
-- RFC 7252 §5.2.1: ACK with a piggybacked 2.04 response, token echoed, no
-- options, no payload = 8 bytes.
local COAP_ACK_RESPONSE = COAP_HDR + COAP_TOKEN

---------------------------------------------------------------- records
local CCM8_TAG = 8 -- RFC 6655 §3 (AES_128_CCM_8, 8-byte ICV); RFC 8446 TLS_AES_128_CCM_8_SHA256
-- RFC 6655 §3: nonce_explicit in each DTLS 1.2 record (RFC 7925 profile)
local CCM_EXPLICIT_NONCE = 8
local DTLS12_HDR = 13 -- RFC 6347 §4.1: type 1, version 2, epoch 2, sequence_number 6, length 2
-- DTLS 1.2 protected record: 13 + 8 + 8 = 29 ([CMP] fig-overhead: 29).
local DTLS12_RECORD = DTLS12_HDR + CCM_EXPLICIT_NONCE + CCM8_TAG
-- RFC 9147 §4: unified header byte (001CSLEE: no CID, 8-bit sequence number,
-- length omitted: last record of the datagram) + 1-byte sequence number;
-- the encrypted DTLSInnerPlaintext adds the 1-byte content type.
local DTLS13_HDR = 2
local DTLS13_HDR_LEN = 4 -- the same with the 2-byte length (a record that is not the last)
local INNER_TYPE = 1 -- RFC 9147 §4 / RFC 8446 §5.2: inner content type
-- DTLS 1.3 protected record: 2 + 1 + 8 = 11 ([CMP] fig-overhead: 11).
local DTLS13_RECORD = DTLS13_HDR + INNER_TYPE + CCM8_TAG
-- TLS 1.3 record: type 1, legacy version 2, length 2 (RFC 8446 §5.1, §5.2)
-- + inner content type 1 + tag 8 = 14 ([CMP] fig-overhead: 14).
local TLS13_RECORD = 5 + INNER_TYPE + CCM8_TAG

-- RFC 9147 §7: ACK = record_numbers<0..2^16-1> of RecordNumber {uint64
-- epoch; uint64 sequence_number} (§4): 2 + 16 per acknowledged record.
-- Acknowledging one record, sent in epoch 3 (protected).
local DTLS13_ACK_BODY = 2 + 16
local DTLS13_ACK = DTLS13_HDR + DTLS13_ACK_BODY + INNER_TYPE + CCM8_TAG -- 29, last in datagram
local DTLS13_ACK_NOT_LAST = DTLS13_HDR_LEN + DTLS13_ACK_BODY + INNER_TYPE + CCM8_TAG -- 31

-------------------------------------------- DTLS 1.2 handshake, compiled
-- No comparison of DTLS 1.2 handshake sizes was found ([CMP] "TLS 1.2 and
-- DTLS 1.2": not analysed in detail), so the flights are compiled here
-- from the message formats, with [CMP]'s assumptions. Cipher suite
-- TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (RFC 7251; RFC 7252 §9.1.3.2
-- RawPublicKey mode) or TLS_PSK_WITH_AES_128_CCM_8 (RFC 6655; RFC 7252
-- §9.1.3.1 PreSharedKey mode, the LwM2M profiles).
-- RFC 6347 §4.2.2: msg_type 1, length 3, message_seq 2, fragment_offset 3, fragment_length 3
local HS12 = 12
-- HelloVerifyRequest cookie: Mbed TLS library/ssl_cookie.c COOKIE_LEN = 4-byte time + 28-byte
-- HMAC (assumption: such a server)
local COOKIE = 32
-- RFC 5246 §7.4.1.2: session_id<0..32>; servers allowing resumption by ID send 32 (assumption)
local SESSION_ID = 32
-- RFC 5246 §7.4.1.2 ClientHello with an empty session_id and cookie (RFC
-- 6347 §4.2.1): client_version 2, random 32, session_id 1+0, cookie 1+0,
-- cipher_suites 2+2 (one suite), compression_methods 1+1 = 42.
local CH12_FIXED = 2 + 32 + 1 + 1 + (2 + 2) + (1 + 1)
local EXT_LEN = 2 -- extensions<0..2^16-1> length
-- RFC 7627 §5.1: extended_master_secret, 00 17 00 00 (RFC 7925 §16 recommends it)
local EXT_EMS = 4
local EXT_GROUPS = 8 -- RFC 8422 §5.1.1: supported_groups with secp256r1: 2 + 2 + 2 + 2
-- RFC 5246 §7.4.1.4.1: signature_algorithms, ecdsa_secp256r1_sha256: 2 + 2 + 2 + 2
local EXT_SIG_ALGS = 8
-- RFC 7250 §3: client/server_certificate_type in ClientHello, list of one: 2 + 2 + 1 + 1
local EXT_CERT_TYPE_CH = 6
local EXT_CERT_TYPE_SH = 5 -- RFC 7250 §3: in ServerHello, the one selected type: 2 + 2 + 1
-- ec_point_formats is left out: RFC 8422 §4 lets a client omit the ECC
-- extensions, and only the uncompressed format remains (unconfirmed wording).
-- ServerHello: server_version 2, random 32, session_id 1+32, cipher_suite 2,
-- compression_method 1 = 70 (RFC 5246 §7.4.1.3).
local SH12_FIXED = 2 + 32 + 1 + SESSION_ID + 2 + 1
-- [CMP] "Raw Public Keys": DER SubjectPublicKeyInfo of an uncompressed P-256 key
local RPK_P256 = 91
local EC_POINT = 1 + 65 -- RFC 8422 §5.4: ECPoint<1..255>, uncompressed P-256 point (§5.4.1)
-- DER ECDSA P-256 signature, 71 bytes on average ([CMP] DTLS 1.3
-- CertificateVerify: "average 75 bytes" including algorithm 2 and length 2).
local ECDSA_SIG = 71
-- RFC 5246 §4.7: SignatureAndHashAlgorithm + signature<0..2^16-1>
local DIGITALLY_SIGNED = 2 + 2 + ECDSA_SIG
local CCS = DTLS12_HDR + 1 -- RFC 5246 §7.1: ChangeCipherSpec, its own record
-- RFC 5246 §7.4.9: Finished, verify_data 12, in the first protected record.
local FINISHED12 = DTLS12_HDR + CCM_EXPLICIT_NONCE + HS12 + 12 + CCM8_TAG -- 53

-- Certificate-based (raw public keys, mutual authentication), ECDHE,
-- cookie exchange (RFC 6347 §4.2.1: servers SHOULD perform it for new
-- handshakes). Flights as in RFC 6347 §4.2.4 and RFC 9146's example DTLS 1.2 exchange.
local CH12_RPK_EXT = EXT_LEN + EXT_GROUPS + EXT_SIG_ALGS + 2 * EXT_CERT_TYPE_CH + EXT_EMS -- 34
local CH12_RPK = DTLS12_HDR + HS12 + CH12_FIXED + CH12_RPK_EXT -- 101
-- RFC 6347 §4.2.1: server_version 2 + cookie<0..2^8-1>: 60
local HVR12 = DTLS12_HDR + HS12 + 2 + 1 + COOKIE
local SH12_RPK = HS12 + SH12_FIXED + EXT_LEN + 2 * EXT_CERT_TYPE_SH + EXT_EMS -- 98
local CERT12_RPK = HS12 + 3 + RPK_P256 -- RFC 7250 §3: ASN.1_subjectPublicKeyInfo<1..2^24-1>: 106
-- RFC 8422 §5.4: named_curve params 3, point, signature: 156
local SKE12 = HS12 + (1 + 2) + EC_POINT + DIGITALLY_SIGNED
-- RFC 5246 §7.4.4: ecdsa_sign, one signature algorithm, no CAs: 20
local CERTREQ12 = HS12 + (1 + 1) + (2 + 2) + 2
local SHD12 = HS12 -- RFC 5246 §7.4.5: ServerHelloDone, empty
local CKE12_ECDHE = HS12 + EC_POINT -- RFC 8422 §5.7: ClientECDiffieHellmanPublic: 78
local CV12 = HS12 + DIGITALLY_SIGNED -- RFC 5246 §7.4.8: CertificateVerify: 87
local DTLS12_FULL = {
  ul(CH12_RPK), -- 101
  dl(HVR12), -- 60
  ul(CH12_RPK + COOKIE), -- 133
  dl(DTLS12_HDR + SH12_RPK + CERT12_RPK + SKE12 + CERTREQ12 + SHD12), -- 405
  ul(DTLS12_HDR + CERT12_RPK + CKE12_ECDHE + CV12 + CCS + FINISHED12), -- 351
  dl(CCS + FINISHED12), -- 67
}
-- Abbreviated handshake resuming the session by its ID (RFC 5246 §7.3,
-- Figure 2), without cookie exchange (RFC 6347 §4.2.1: the server MAY skip
-- it when a session is resumed). The ClientHello offers the same extensions
-- plus the 32-byte session_id; the ServerHello echoes extended_master_secret
-- only (RFC 7627 §5.3).
local DTLS12_RESUMED = {
  ul(CH12_RPK + SESSION_ID), -- 133
  dl(DTLS12_HDR + HS12 + SH12_FIXED + EXT_LEN + EXT_EMS + CCS + FINISHED12), -- 101 + 14 + 53 = 168
  ul(CCS + FINISHED12), -- 67
}
-- Pre-shared key (RFC 4279 §2), cookie exchange. No ServerKeyExchange: no
-- psk_identity_hint (RFC 4279 §2 makes it optional). PSK identity of 24
-- bytes: an LwM2M endpoint name such as "urn:imei:" + 15 digits (assumption).
local PSK_IDENTITY = 24
local CH12_PSK = DTLS12_HDR + HS12 + CH12_FIXED + EXT_LEN + EXT_EMS -- 73
local DTLS12_PSK_FULL = {
  ul(CH12_PSK), -- 73
  dl(HVR12), -- 60
  ul(CH12_PSK + COOKIE), -- 105
  dl(DTLS12_HDR + HS12 + SH12_FIXED + EXT_LEN + EXT_EMS + SHD12), -- 113
  -- CKE psk_identity<0..2^16-1>: 51 + 14 + 53 = 118
  ul(DTLS12_HDR + HS12 + 2 + PSK_IDENTITY + CCS + FINISHED12),
  dl(CCS + FINISHED12), -- 67
}

------------------------------------------------- DTLS 1.3 handshake, [CMP]
-- [CMP] fig-compare2, without Connection ID, CCM_8, secp256r1, ECDSA:
--   RPKs + ECDHE: flight #1 179, #2 447, #3 254; PSK: 130, 146, 55.
local D13_RPK_F1, D13_RPK_F2, D13_RPK_F3 = 179, 447, 254
local D13_PSK_F1, D13_PSK_F2, D13_PSK_F3 = 130, 146, 55
-- Cookie exchange, which [CMP] leaves out (RFC 9147 §5.1 and Security
-- Considerations: servers SHOULD use it for new handshakes). The
-- HelloRetryRequest is a ServerHello (RFC 8446 §4.1.3, §4.1.4): version 2,
-- random 32, legacy_session_id_echo 1+0, cipher_suite 2, compression 1,
-- extensions 2 + supported_versions 6 (§4.2.1) + cookie 2+2+2+32 (§4.2.2),
-- in a DTLSPlaintext record (the 13-byte header of DTLS 1.2, RFC 9147 §4)
-- with a DTLS handshake header (12).
local EXT_COOKIE = 2 + 2 + 2 + COOKIE -- 38
local HRR13 = DTLS12_HDR + HS12 + 2 + 32 + 1 + 2 + 1 + EXT_LEN + 6 + EXT_COOKIE -- 109
-- RFC 8446 §4.6.1 NewSessionTicket as [CMP] "Resumption" lays it out
-- (lifetime 4, age_add 4, nonce 1+1, 4-byte ticket 2+4, extensions 2, behind
-- a 12-byte handshake header): [CMP] gives 41 bytes with a 1-byte CID and
-- counts no inner content type; here without CID and with it: 2 + 30 + 1 + 8.
local NST13 = DTLS13_HDR + HS12 + 4 + 4 + 2 + 6 + 2 + INNER_TYPE + CCM8_TAG -- 41
-- Full: RPKs (mutual), ECDHE, HelloRetryRequest cookie; the server ACKs the
-- client's final flight and sends a NewSessionTicket for later resumption
-- (one datagram); the client ACKs the ticket (RFC 9147 §7.1: the client's
-- final flight and post-handshake messages MUST be acknowledged; RFC 9147
-- figure "Message Flights for a Full DTLS Handshake (with Cookie Exchange)").
local DTLS13_FULL = {
  ul(D13_RPK_F1), -- 179
  dl(HRR13), -- 109
  ul(D13_RPK_F1 + EXT_COOKIE), -- 217 (RFC 8446 §4.1.2: ClientHello again with the cookie)
  dl(D13_RPK_F2), -- 447
  ul(D13_RPK_F3), -- 254
  dl(DTLS13_ACK_NOT_LAST + NST13), -- 31 + 41 = 72
  ul(DTLS13_ACK), -- 29
}
-- Resumed: PSK handshake with the ticket as identity, psk_ke (no ECDHE;
-- assumption), no cookie exchange (RFC 9147 §5.1: the server MAY skip it
-- when a session is resumed / the key exchange is PSK-based). [CMP]'s PSK
-- ClientHello has a 1-byte identity; the 4-byte ticket adds 3. The server
-- ACKs the client's Finished; no new ticket (assumption).
local DTLS13_RESUMED = {
  ul(D13_PSK_F1 + 3), -- 133
  dl(D13_PSK_F2), -- 146
  ul(D13_PSK_F3), -- 55
  dl(DTLS13_ACK), -- 29
}

------------------------------------------------- TLS 1.3 handshake, [CMP]
-- [CMP] fig-compare2, TLS 1.3 RPKs + ECDHE with CCM_8, secp256r1, ECDSA:
-- flight #1 162, #2 394, #3 233. No NewSessionTicket (assumption).
local T13_RPK_F1, T13_RPK_F2, T13_RPK_F3 = 162, 394, 233

------------------------------------------------------------------ MQTT
-- [MQTT] 3.1.1. CONNECT (§3.1): fixed header 2, variable header 10
-- (§3.1.2: protocol name 2+4, level 1, flags 1, keep alive 2), client
-- identifier 2 + 15 (an IMEI; assumption), no will, user name or password
-- (the TLS client key authenticates).
local MQTT_CONNECT = 2 + 10 + 2 + 15 -- 29
local MQTT_CONNACK = 4 -- §3.2
-- PUBLISH QoS 1 (§3.3): fixed header 1 + Remaining Length 2 (§2.2.3: 2
-- bytes for 128..16383 bytes, 1 below 128; assumption: 2), topic name 2 +
-- 16 (assumption, e.g. "t/" + an IMEI-based id), packet identifier 2.
local MQTT_PUBLISH_QOS1 = 1 + 2 + 2 + 16 + 2 -- 23
local MQTT_PUBACK = 4 -- §3.4
local MQTT_PINGREQ = 2 -- §3.12
local MQTT_PINGRESP = 2 -- §3.13

------------------------------------------------------------------ LwM2M
-- [LWM2M] Core: Register, Update, De-register (Client Registration
-- interface), Send (Information Reporting, LwM2M 1.1); Transport: CoAP
-- binding, POST /rd?ep=&lt=&lwm2m=&Q, POST /rd/{location}, DELETE
-- /rd/{location}, POST /dp (sections unconfirmed). Option sizes per RFC 7252
-- §3.1 as above.
--   Register: header 4, token 4, Uri-Path "rd" 3, Content-Format 40
--   (link-format) 2, Uri-Query (15) "ep=urn:imei:" + 15 digits (27 chars:
--   1 + 1 extended length + 27 = 29), "lt=86400" 1 + 8, "lwm2m=1.1" 1 + 9,
--   "Q" (queue mode) 1 + 1, payload marker 1, object links
--   "</1/0>,</3/0>,</4/0>,</3303/0>" 30 (assumption: Server, Device,
--   Connectivity Monitoring, Temperature).
local LWM2M_REGISTER = COAP_HDR + COAP_TOKEN + COAP_URI_PATH_2 + COAP_CONTENT_FORMAT + 29 + 9 + 10
  + 2 + COAP_MARKER + 30 -- 94
--   2.01 Created, piggybacked: header 4, token 4, Location-Path (8) "rd" 3,
--   Location-Path with a 10-character registration id 1 + 10 (assumption).
local LWM2M_LOCATION = 3 + 11
local LWM2M_CREATED = COAP_HDR + COAP_TOKEN + LWM2M_LOCATION -- 22
--   Update and De-register: POST / DELETE /rd/{id}, no query, no payload;
--   answered by a piggybacked 2.04 Changed / 2.02 Deleted.
local LWM2M_UPDATE = COAP_HDR + COAP_TOKEN + LWM2M_LOCATION -- 22
local LWM2M_DEREGISTER = LWM2M_UPDATE -- 22
--   Send: POST /dp, Content-Format 112 (senml+cbor), payload marker.
local LWM2M_SEND = COAP_HDR + COAP_TOKEN + COAP_URI_PATH_2 + COAP_CONTENT_FORMAT + COAP_MARKER -- 14

----------------------------------------------------------------- OSCORE
-- RFC 8613 §6.1 OSCORE option (9) in a request: flag byte 1, Partial IV 2
-- (sequence numbers up to 65535; assumption), kid 1 ([CMP]: 1-byte Sender
-- ID), behind 1 option byte (delta 9, length 4). Uri-Path and
-- Content-Format are class E (§4.1): they move into the plaintext with the
-- same encoding. The ciphertext adds the inner code 1 and the tag 8
-- (AES-CCM-16-64-128, RFC 8613 §3.2.1 default). [CMP] fig-overhead: request
-- 13-15, response 11 (the empty-valued option, marker, code, tag).
local OSCORE_OPT_REQ = 1 + 1 + 2 + 1 -- 5
local OSCORE_OPT_RESP = 1 -- §6.1: empty value when no Partial IV and no kid
local OSCORE_INNER_CODE = 1

----------------------------------------------------------------- profiles

-- Non-IP data delivery (TS 23.682 via the SCEF, or an SGi PtP tunnel): the
-- payload goes as NAS data with no IP header at all.
stacks.nidd = {
  name = "nidd",
  ul_overhead_bytes = 0,
  answer_bytes = 0,
  session = {},
  session_every = 0,
  per_report = {},
}

stacks.udp_ipv6 = {
  name = "udp-ipv6",
  ul_overhead_bytes = IP_UDP, -- 48
  answer_bytes = 0,
  session = {},
  session_every = 0,
  per_report = {},
}

stacks.udp_ipv6_rohc = {
  name = "udp-ipv6-rohc",
  ul_overhead_bytes = ROHC_UO0 + ROHC_UDP_CSUM, -- 3
  answer_bytes = 0,
  session = {},
  session_every = 0,
  per_report = {},
}

stacks.udp_ipv6_schc = {
  name = "udp-ipv6-schc",
  ul_overhead_bytes = SCHC_RULEID, -- 1
  answer_bytes = 0,
  session = {},
  session_every = 0,
  per_report = {},
}

-- NON request with No-Response: nothing comes back.
stacks.coap_non = {
  name = "coap-non",
  ul_overhead_bytes = IP_UDP + COAP_REPORT + COAP_NO_RESPONSE, -- 48 + 13 + 3 = 64
  answer_bytes = 0,
  session = {},
  session_every = 0,
  per_report = {},
}

-- CON request, answered by an ACK with a piggybacked 2.04.
stacks.coap_con = {
  name = "coap-con",
  ul_overhead_bytes = IP_UDP + COAP_REPORT, -- 61
  answer_bytes = IP_UDP + COAP_ACK_RESPONSE, -- 56
  session = {},
  session_every = 0,
  per_report = {},
}

-- CoAP CON over DTLS 1.2: full handshake, certificate-based (raw public
-- keys, mutual), ECDHE, cookie exchange, before every report.
stacks.coap_dtls12_full = {
  name = "coap-con-dtls12-full",
  ul_overhead_bytes = IP_UDP + DTLS12_RECORD + COAP_REPORT, -- 48 + 29 + 13 = 90
  answer_bytes = IP_UDP + DTLS12_RECORD + COAP_ACK_RESPONSE, -- 85
  session = over(IP_UDP, DTLS12_FULL), -- 149, 108, 181, 453, 399, 115
  session_every = 1,
  per_report = {},
}

-- The same, resuming the session (abbreviated handshake) before every report.
stacks.coap_dtls12_resumed = {
  name = "coap-con-dtls12-resumed",
  ul_overhead_bytes = IP_UDP + DTLS12_RECORD + COAP_REPORT, -- 90
  answer_bytes = IP_UDP + DTLS12_RECORD + COAP_ACK_RESPONSE, -- 85
  session = over(IP_UDP, DTLS12_RESUMED), -- 181, 216, 115
  session_every = 1,
  per_report = {},
}

-- CoAP CON over DTLS 1.3: full handshake, certificate-based (raw public
-- keys, mutual), ECDHE, HelloRetryRequest cookie, ACKs and a session
-- ticket, before every report.
stacks.coap_dtls13_full = {
  name = "coap-con-dtls13-full",
  ul_overhead_bytes = IP_UDP + DTLS13_RECORD + COAP_REPORT, -- 48 + 11 + 13 = 72
  answer_bytes = IP_UDP + DTLS13_RECORD + COAP_ACK_RESPONSE, -- 67
  session = over(IP_UDP, DTLS13_FULL), -- 227, 157, 265, 495, 302, 120, 77
  session_every = 1,
  per_report = {},
}

-- The same, resuming with the ticket (PSK, psk_ke) before every report.
stacks.coap_dtls13_resumed = {
  name = "coap-con-dtls13-resumed",
  ul_overhead_bytes = IP_UDP + DTLS13_RECORD + COAP_REPORT, -- 72
  answer_bytes = IP_UDP + DTLS13_RECORD + COAP_ACK_RESPONSE, -- 67
  session = over(IP_UDP, DTLS13_RESUMED), -- 181, 194, 103, 77
  session_every = 1,
  per_report = {},
}

-- CoAP CON protected by OSCORE with a pre-established security context (no
-- EDHOC); the ACK carries the protected 2.04 response.
stacks.coap_oscore = {
  name = "coap-con-oscore",
  ul_overhead_bytes = IP_UDP + COAP_HDR + COAP_TOKEN + OSCORE_OPT_REQ + COAP_MARKER
    + OSCORE_INNER_CODE + COAP_URI_PATH_1 + COAP_CONTENT_FORMAT + CCM8_TAG, -- 48 + 27 = 75
  answer_bytes = IP_UDP + COAP_HDR + COAP_TOKEN + OSCORE_OPT_RESP + COAP_MARKER
    + OSCORE_INNER_CODE + CCM8_TAG, -- 48 + 19 = 67
  session = {},
  session_every = 0,
  per_report = {},
}

-- MQTT 3.1.1 over TLS 1.3 over TCP over IPv6. Session once: TCP 3-way
-- handshake (the final ACK alone, before the ClientHello), TLS 1.3 with raw
-- public keys (mutual), ECDHE (each flight one segment; the server's flight
-- acknowledges the ClientHello, the client's flight #3 the server's), the
-- server's ACK of flight #3 (Nagle holds the CONNECT until then), CONNECT,
-- CONNACK (its ACK rides on the first PUBLISH). Per report: PUBLISH QoS 1,
-- answered by PUBACK (which acknowledges the PUBLISH segment); then the
-- device's ACK of the PUBACK, and a keep-alive PINGREQ / PINGRESP with the
-- device's ACK of the PINGRESP (one keep-alive per report interval).
stacks.mqtt_tls13 = {
  name = "mqtt-tls13",
  ul_overhead_bytes = IP_TCP + TLS13_RECORD + MQTT_PUBLISH_QOS1, -- 60 + 14 + 23 = 97
  answer_bytes = IP_TCP + TLS13_RECORD + MQTT_PUBACK, -- 78
  session = {
    ul(IP_TCP + TCP_MSS_OPT), -- SYN: 64
    dl(IP_TCP + TCP_MSS_OPT), -- SYN-ACK: 64
    ul(IP_TCP), -- ACK: 60
    ul(IP_TCP + T13_RPK_F1), -- 222
    dl(IP_TCP + T13_RPK_F2), -- 454
    ul(IP_TCP + T13_RPK_F3), -- 293
    dl(IP_TCP), -- ACK: 60
    ul(IP_TCP + TLS13_RECORD + MQTT_CONNECT), -- 103
    dl(IP_TCP + TLS13_RECORD + MQTT_CONNACK), -- 78
  },
  session_every = 0,
  per_report = {
    ul(IP_TCP), -- ACK of the PUBACK: 60
    ul(IP_TCP + TLS13_RECORD + MQTT_PINGREQ), -- 76
    dl(IP_TCP + TLS13_RECORD + MQTT_PINGRESP), -- 76
    ul(IP_TCP), -- ACK of the PINGRESP: 60
  },
}

-- LwM2M 1.1 over CoAP over DTLS 1.2 (PSK; RFC 7252 §9.1.3.1
-- TLS_PSK_WITH_AES_128_CCM_8). The report is a Send (POST /dp) answered by
-- a piggybacked 2.04.
local LWM2M_UL = IP_UDP + DTLS12_RECORD + LWM2M_SEND -- 48 + 29 + 14 = 91
local LWM2M_ANSWER = IP_UDP + DTLS12_RECORD + COAP_ACK_RESPONSE -- 85
local LWM2M_SESSION = cat(over(IP_UDP, DTLS12_PSK_FULL), over(IP_UDP + DTLS12_RECORD, {
  ul(LWM2M_REGISTER), -- 171
  dl(LWM2M_CREATED), -- 99
}))

-- Keeps no state between reports: a full PSK handshake and a Register
-- before every report, a De-register after it.
stacks.lwm2m_register = {
  name = "lwm2m-register",
  ul_overhead_bytes = LWM2M_UL, -- 91
  answer_bytes = LWM2M_ANSWER, -- 85
  session = LWM2M_SESSION, -- 121, 108, 153, 161, 166, 115, 171, 99
  session_every = 1,
  per_report = over(IP_UDP + DTLS12_RECORD, {
    ul(LWM2M_DEREGISTER), -- 99
    dl(COAP_ACK_RESPONSE), -- 2.02 Deleted: 85
  }),
}

-- Registers once (queue mode) and keeps the DTLS session; a registration
-- Update with each report tells the server the device is reachable.
stacks.lwm2m_update = {
  name = "lwm2m-update",
  ul_overhead_bytes = LWM2M_UL, -- 91
  answer_bytes = LWM2M_ANSWER, -- 85
  session = LWM2M_SESSION,
  session_every = 0,
  per_report = over(IP_UDP + DTLS12_RECORD, {
    ul(LWM2M_UPDATE), -- 99
    dl(COAP_ACK_RESPONSE), -- 2.04 Changed: 85
  }),
}

-- An unknown stack name is an error, not nil (no stack).
return require "mtc_names"(stacks, "stacks", "protocol stack")
