import { describe, expect, it } from "vitest";
import { fieldsFromSchema, initialValues, issuesByField, validateValues } from "./input-schema";

const schema = {
  type: "object",
  properties: {
    topic: { type: "string", minLength: 3, maxLength: 200 },
    audience: { type: "string", minLength: 2, maxLength: 100, default: "general readers" },
    tone: { type: "string", enum: ["plain", "formal"] },
    words: { type: "integer", minimum: 100, maximum: 9007199254740991 },
  },
  required: ["topic"],
};

describe("input schema form", () => {
  const fields = fieldsFromSchema(schema);

  it("derives labelled fields with defaults and constraints", () => {
    expect(fields.map((f) => [f.name, f.label, f.kind, f.required])).toEqual([
      ["topic", "Topic", "text", true],
      ["audience", "Audience", "text", false],
      ["tone", "Tone", "select", false],
      ["words", "Words", "integer", false],
    ]);
    expect(initialValues(fields)).toMatchObject({ topic: "", audience: "general readers" });
    expect(fields[3].maximum).toBeUndefined();
  });

  it("validates required, lengths and numbers; leaves out empty optional fields", () => {
    expect(validateValues(fields, { topic: "", audience: "x", tone: "", words: "50" }).errors).toEqual({
      topic: "Topic is required",
      audience: "Audience must be at least 2 characters",
      words: "Words must be at least 100",
    });
    expect(validateValues(fields, { topic: "Tides", audience: "", tone: "formal", words: "" })).toEqual({
      input: { topic: "Tides", tone: "formal" },
      errors: {},
    });
  });

  it("maps server issues to fields", () => {
    expect(
      issuesByField(
        {
          issues: [
            { path: "topic", message: "Too short" },
            { path: "x", message: "?" },
          ],
        },
        fields,
      ),
    ).toEqual({ topic: "Too short", "": "?" });
  });
});
