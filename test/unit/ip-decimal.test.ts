import { strict as assert } from "node:assert";
import { apiDecimal, canonicalDecimal } from "../../provider/common/decimal";
import { isHostOrIp, isIpOrCidr, isIpv4Address, normaliseCidr, parseCidr } from "../../provider/common/ip";

describe("ip: parse and normalise", () => {
  const valid: [string, string][] = [
    ["192.168.1.1", "192.168.1.1/32"],
    ["192.168.1.1/32", "192.168.1.1/32"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["10.0.0.0/8", "10.0.0.0/8"],
    [" 8.8.8.8 ", "8.8.8.8/32"],
    ["2001:db8::1", "2001:db8::1/128"],
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1/128"],
    ["2001:db8:0::1/64", "2001:db8::1/64"],
    ["::/0", "::/0"],
    ["::1", "::1/128"],
    ["fe80::1:0:0:1", "fe80::1:0:0:1/128"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1/128"],
    ["::ffff:192.0.2.1", "::ffff:c000:201/128"],
    ["::192.0.2.1", "::c000:201/128"], // a dotted quad right after "::" (IPv4-compatible form)
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8/128"],
    ["1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8/128"],
  ];
  for (const [input, expected] of valid) {
    it(`${JSON.stringify(input)} → ${expected}`, () => {
      assert.equal(isIpOrCidr(input), true);
      assert.equal(normaliseCidr(input), expected);
    });
  }
  const invalid = ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/-1", "::1/129",
    "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "g::1", "1::2::3", "example.com", "1.2.3.4/8/9", "12345::",
    // Eight groups before a second "::" must not pass as an address.
    "1:2:3:4:5:6:7:8::1::2"];
  for (const input of invalid) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.equal(isIpOrCidr(input), false);
      assert.equal(parseCidr(input), undefined);
      assert.equal(normaliseCidr(input), input, "unparseable text is returned unchanged");
    });
  }
});

describe("ip: inputs of the wrong type, and bare IPv4 addresses", () => {
  it("parseCidr answers undefined for a value that is not a string, instead of throwing", () => {
    assert.equal(parseCidr(5 as unknown as string), undefined);
    assert.equal(parseCidr(null as unknown as string), undefined);
  });

  const ipv4: [unknown, boolean][] = [
    ["192.0.2.1", true],
    [" 192.0.2.1 ", true],
    ["192.0.2.1/32", false], // a CIDR, even a host route, is not a bare address
    ["192.0.2.0/24", false],
    ["2001:db8::1", false],
    ["::ffff:192.0.2.1", false],
    ["example.com", false],
    ["", false],
    [5, false],
    [undefined, false],
  ];
  for (const [input, expected] of ipv4) {
    it(`isIpv4Address(${JSON.stringify(input)}) → ${expected}`, () => assert.equal(isIpv4Address(input), expected));
  }
});

describe("ip: host names and bare addresses (isHostOrIp)", () => {
  const table: [unknown, boolean][] = [
    ["pbx.example.com", true],
    ["localhost", true],
    ["sip-1.example.com.", true],
    ["192.0.2.1", true],
    ["2001:db8::1", true],
    ["192.0.2.0/24", false], // a CIDR is not a host
    ["pbx.example.com/x", false],
    ["1.2.3", false], // digits and dots only, yet not an address
    ["999.1.1.1", false],
    ["-pbx.example.com", false],
    ["pbx_1.example.com", false],
    ["", false],
    [5, false],
    [null, false],
  ];
  for (const [input, expected] of table) {
    it(`isHostOrIp(${JSON.stringify(input)}) → ${expected}`, () => assert.equal(isHostOrIp(input), expected));
  }
});

describe("decimal: canonical and API forms", () => {
  const table: [string | number, string | undefined, string | undefined][] = [
    ["100", "100", "100.0"],
    ["100.0", "100", "100.0"],
    ["100.50", "100.5", "100.5"],
    [100, "100", "100.0"],
    [0, "0", "0.0"],
    ["0.0", "0", "0.0"],
    ["007.10", "7.1", "7.1"],
    [" 7.50 ", "7.5", "7.5"], // surrounding spaces are not part of the amount
    [1e-7, "0.0000001", "0.0000001"],
    ["1e5", undefined, undefined],
    ["abc", undefined, undefined],
    ["", undefined, undefined],
    [Number.NaN, undefined, undefined],
  ];
  for (const [input, canon, api] of table) {
    it(`${JSON.stringify(input)} → ${canon} / ${api}`, () => {
      assert.equal(canonicalDecimal(input), canon);
      assert.equal(apiDecimal(input), api);
    });
  }
});

describe("decimal: numbers JavaScript prints with an exponent", () => {
  // Each is exact: a tiny non-zero amount must never read as zero, a large one never as invalid.
  const table: [number, string][] = [
    [1e21, "1000000000000000000000.0"],
    [1.23456789e-15, "0.00000000000000123456789"],
    [-2e-7, "-0.0000002"],
  ];
  for (const [n, expected] of table) {
    it(`${n} → ${expected}`, () => assert.equal(apiDecimal(n), expected));
  }
  it("5e-324 is not zero", () => assert.notEqual(canonicalDecimal(5e-324), "0"));
});
