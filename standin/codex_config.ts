/**
 * `$CODEX_HOME/config.toml` that points the real Codex CLI at the stand-in
 * (shared by the tests' sandbox and `deno task standin`).
 */

/**
 * A provider named "standin" at `url`. No model is set, so Codex uses its
 * default (gpt-6.1-sol in 0.169), which sends its tools as an
 * `additional_tools` input item and gets one code-mode `exec` tool; `-m
 * gpt-5.5` gives the classic `tools` array (exec_command, apply_patch …).
 */
export function standinCodexConfig(url: string, header?: string): string {
  return [
    ...(header ? [`# ${header}`] : []),
    `model_provider = "standin"`,
    // Offline: with these Codex 0.169 looks up no host at all (without them
    // it resolves github.com, api.github.com, chatgpt.com, ab.chatgpt.com).
    `check_for_update_on_startup = false`,
    ``,
    `[analytics]`,
    `enabled = false`,
    ``,
    `[features]`,
    `plugins = false`,
    `apps = false`,
    ``,
    `[model_providers.standin]`,
    `name = "model stand-in"`,
    `base_url = "${url}/v1"`,
    `env_key = "STANDIN_API_KEY"`,
    `wire_api = "responses"`,
    // No retries, so a failing API ends a run quickly.
    `request_max_retries = 0`,
    `stream_max_retries = 0`,
    ``,
  ].join("\n");
}
