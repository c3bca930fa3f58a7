import { EmailTaken, ErrorDetail, minPasswordLength, passwordProblem, ValidationFailed } from "@compilar/domain"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import {
  serverFieldErrors,
  signUpFields,
  validateSignIn,
  validateSignUp
} from "../../src/lib/session/validation.js"

const good = { email: "ada@example.com", password: "correct horse 42", displayName: "Ada" }

describe("validateSignIn", () => {
  it("accepts an email and any password, trimming the email", () => {
    expect(validateSignIn({ email: "  ada@example.com ", password: "x" })).toEqual(
      Either.right({ email: "ada@example.com", password: "x" })
    )
  })

  it("names each wrong field with the contract's message", () => {
    const result = validateSignIn({ email: "ada@", password: "" })
    expect(Either.isLeft(result) && result.left).toEqual({
      email: "Enter a valid email address, like name@example.com",
      password: "Enter your password"
    })
  })
})

describe("validateSignUp", () => {
  it("accepts a good account, trimmed", () => {
    expect(validateSignUp({ ...good, displayName: "  Ada  " })).toEqual(Either.right(good))
  })

  it("applies the domain's password rules, the server's words", () => {
    for (const password of ["short1A", "alllowercaseletters", "aaaaaaaaaaaaaaa1", "ada@example.com"]) {
      const result = validateSignUp({ ...good, password })
      const expected = passwordProblem(password, good.email)
      expect(expected, password).toBeDefined()
      expect(Either.isLeft(result) && result.left.password, password).toBe(expected)
    }
    const short = validateSignUp({ ...good, password: "aB1" })
    expect(Either.isLeft(short) && short.left.password).toContain(String(minPasswordLength))
  })

  it("rejects a password that contains the email's name", () => {
    const result = validateSignUp({ ...good, email: "grace@example.com", password: "Password-of-Grace1" })
    expect(Either.isLeft(result) && result.left.password).toBe("Weak password: it must not contain your email address")
  })

  it("reports every wrong field at once", () => {
    const result = validateSignUp({ email: "nope", password: "", displayName: "   " })
    expect(Either.isLeft(result) && Object.keys(result.left).sort()).toEqual(["displayName", "email", "password"])
  })
})

describe("serverFieldErrors", () => {
  it("puts a validation_failed answer's details beside the fields, the rest on the form", () => {
    const error = new ValidationFailed({
      message: "The request is invalid.",
      details: [
        new ErrorDetail({ path: "password", message: "Weak password: use at least 12 characters" }),
        new ErrorDetail({ path: "password", message: "second message for the same field" }),
        new ErrorDetail({ path: "", message: "Unexpected body" })
      ]
    })
    expect(serverFieldErrors(signUpFields, error)).toEqual({
      fields: { password: "Weak password: use at least 12 characters" },
      other: ["Unexpected body"]
    })
  })

  it("ignores errors that are not validation failures", () => {
    expect(serverFieldErrors(signUpFields, new EmailTaken({ message: "taken" }))).toBeUndefined()
    expect(serverFieldErrors(signUpFields, undefined)).toBeUndefined()
  })
})
