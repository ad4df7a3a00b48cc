/**
 * The commented starter config that `upstate init` writes. It is valid as written (it checks only
 * the Upstate process itself, so a first `serve` shows real results with no internet access), and
 * every other section is there as a comment to uncomment and edit.
 * @module
 */

/** The starter config text; `port` is the port the user will serve on (the self-checks use it). */
export function starterConfig(port = 3000): string {
  return `# Upstate configuration — written by \`upstate init\`.
# Check it with:  upstate validate --config upstate.yaml
# Run it with:    upstate serve --config upstate.yaml --port ${port}
# Every key is described in README.md (Configuration). \${NAME} reads the environment variable NAME
# (\${NAME:-default} gives a default), so secrets stay out of this file.

page:
  title: Status
  description: Live status of our services.
  # publicUrl: https://status.example.com   # used in feeds, alert links and heartbeat push URLs
  # cacheSeconds: 30

# auth:                                     # require a header your reverse proxy adds
#   header: X-Upstate-Auth
#   secrets: ["\${UPSTATE_PROXY_SECRET}"]

# admin:                                    # bearer tokens for the admin API (incidents)
#   tokens: [{ name: ops, token: "\${UPSTATE_ADMIN_TOKEN}" }]

defaults:
  interval: 60s     # how often each check runs
  timeout: 10s      # never more than the interval

checks:
  # Upstate checks itself, so the page is never empty. Keep the port in step with --port.
  - name: Status page
    group: Upstate
    http:
      url: http://127.0.0.1:${port}/healthz

  # An HTTP(S) endpoint:
  # - name: API
  #   group: Backend
  #   interval: 30s
  #   degradedAfter: 800ms          # slower successes show as "degraded"
  #   downAfter: 2                  # failures in a row before it shows down
  #   http:
  #     url: https://api.example.com/health
  #     expectStatus: ["200-299"]
  #     bodyContains: '"ok"'

  # A TCP port (databases, mail, anything that listens):
  # - name: Database
  #   group: Backend
  #   tcp: { host: db.internal, port: 5432 }

  # A TLS certificate that must stay valid for two more weeks:
  # - name: Certificate
  #   tls: { host: example.com, port: 443, minDaysValid: 14 }

  # A cron job that pings Upstate (POST /api/v1/push/<token>) at least once a day:
  # - name: Nightly backup
  #   heartbeat: { period: 1d, grace: 30m, token: "\${BACKUP_PUSH_TOKEN}" }

# alerts:                                   # notify on state changes (down, resolved, …)
#   defaults: { down: true }
# notifiers:
#   ops: { kind: slack, url: "\${SLACK_WEBHOOK_URL}" }
#   hook: { kind: webhook, url: https://ops.example.com/upstate, secret: "\${WEBHOOK_SECRET}" }
`;
}
