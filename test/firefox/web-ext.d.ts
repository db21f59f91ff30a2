/** The part of web-ext's programmatic API the lint test uses (web-ext ships no types). */
declare module 'web-ext' {
  export interface LintMessage {
    _type: 'error' | 'warning' | 'notice'
    code: string
    message: string
    description: string
    file?: string
    line?: number
    column?: number
  }
  export interface LintResult {
    count: number
    summary: { errors: number; notices: number; warnings: number }
    metadata: Record<string, unknown>
    errors: LintMessage[]
    notices: LintMessage[]
    warnings: LintMessage[]
  }
  const webExt: {
    cmd: {
      lint(
        params: { sourceDir: string; output?: 'json' | 'text' | 'none'; boring?: boolean; selfHosted?: boolean; warningsAsErrors?: boolean },
        options?: { shouldExitProgram?: boolean },
      ): Promise<LintResult>
    }
  }
  export default webExt
}
