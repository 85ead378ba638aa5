import { describe, expect, it } from "vitest";
import { acceleratorOf, familyOf, hasInstanceStorage } from "../lib/instance-types";

describe("instance types", () => {
  it("reads the family of an ML instance type and refuses anything else", () => {
    expect(familyOf("ml.g5.xlarge")).toBe("g5");
    expect(familyOf("ml.inf2.24xlarge")).toBe("inf2");
    expect(() => familyOf("m5.xlarge")).toThrow(/not a SageMaker AI instance type/);
  });

  it("knows which families have local NVMe storage, where SageMaker AI refuses a volume key", () => {
    for (const type of ["ml.g5.xlarge", "ml.g6.2xlarge", "ml.g4dn.xlarge", "ml.p4d.24xlarge", "ml.m5d.large", "ml.c6gd.xlarge", "ml.trn1.2xlarge"]) expect(hasInstanceStorage(type), type).toBe(true);
    for (const type of ["ml.m5.xlarge", "ml.c7g.large", "ml.inf2.xlarge", "ml.r6g.large", "ml.t2.medium"]) expect(hasInstanceStorage(type), type).toBe(false);
  });

  it("tells GPU, Inferentia and CPU families apart", () => {
    expect(acceleratorOf("ml.g6.xlarge")).toBe("gpu");
    expect(acceleratorOf("ml.p5.48xlarge")).toBe("gpu");
    expect(acceleratorOf("ml.inf2.xlarge")).toBe("inferentia");
    expect(acceleratorOf("ml.c7i.large")).toBe("cpu");
  });
});
