//! Settings of one Kezek installation: command-line flags override environment variables,
//! which override an optional TOML config file, which overrides the defaults.

use std::{fmt, net::SocketAddr, path::PathBuf};

use clap::Args;
use serde::Deserialize;

/// A value that must never reach a log line or an error message.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

pub use crate::db::redact_url;

/// Every setting, all optional: filled from flags and environment by clap, and from the
/// config file by serde, then merged into [`Settings`].
#[derive(Args, Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct SettingsInput {
    /// Folder for the embedded database, uploaded files and the SMS file outbox.
    #[arg(long, env = "KEZEK_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// `sqlite://…` or `postgres://…`; default: SQLite in the data dir.
    #[arg(
        long,
        env = "KEZEK_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<Secret>,
    /// Largest number of database connections this process opens.
    #[arg(long, env = "KEZEK_DATABASE_MAX_CONNECTIONS", global = true)]
    pub database_max_connections: Option<u32>,
    /// Address the web server listens on.
    #[arg(long, env = "KEZEK_ADDR", global = true)]
    pub addr: Option<SocketAddr>,
    /// Public address of the site, e.g. https://kezek.example.kz (turns on Secure cookies).
    #[arg(long, env = "KEZEK_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address.
    #[arg(long, env = "KEZEK_TRUST_PROXY", global = true)]
    pub trust_proxy: Option<bool>,
    /// Interface language when the browser asks for none we have: kk, ru or en.
    #[arg(long, env = "KEZEK_DEFAULT_LANGUAGE", global = true)]
    pub default_language: Option<String>,
    /// Region (2-digit KATO code) shown to a visitor who has not chosen one.
    #[arg(long, env = "KEZEK_DEFAULT_REGION", global = true)]
    pub default_region: Option<String>,
    /// Contact-centre phone numbers shown in the footer, comma-separated.
    #[arg(
        long,
        env = "KEZEK_CONTACT_PHONES",
        global = true,
        value_delimiter = ','
    )]
    pub contact_phones: Option<Vec<String>>,
    /// Minutes without activity after which a session ends.
    #[arg(long, env = "KEZEK_SESSION_IDLE_MINUTES", global = true)]
    pub session_idle_minutes: Option<i64>,
    /// Hours after login after which a session ends regardless of activity.
    #[arg(long, env = "KEZEK_SESSION_ABSOLUTE_HOURS", global = true)]
    pub session_absolute_hours: Option<i64>,
    /// Password hashes computed at once; more requests wait, then get "busy". Each slot keeps
    /// 19 MiB of argon2 memory, so this also bounds the hasher's memory. Default: the CPUs, at least 2.
    #[arg(long, env = "KEZEK_HASHING_CONCURRENCY", global = true)]
    pub hashing_concurrency: Option<usize>,
    /// SMS gateway: file, mobizon or smsc.
    #[arg(long, env = "KEZEK_SMS_GATEWAY", global = true)]
    pub sms_gateway: Option<String>,
    /// Sender name registered with the SMS gateway.
    #[arg(long, env = "KEZEK_SMS_SENDER", global = true)]
    pub sms_sender: Option<String>,
    /// Base URL of the Mobizon API, e.g. https://api.mobizon.kz
    #[arg(long, env = "KEZEK_SMS_MOBIZON_URL", global = true)]
    pub sms_mobizon_url: Option<String>,
    #[arg(
        long,
        env = "KEZEK_SMS_MOBIZON_API_KEY",
        global = true,
        hide_env_values = true
    )]
    pub sms_mobizon_api_key: Option<Secret>,
    /// Base URL of the SMSC API, e.g. https://smsc.kz
    #[arg(long, env = "KEZEK_SMS_SMSC_URL", global = true)]
    pub sms_smsc_url: Option<String>,
    #[arg(long, env = "KEZEK_SMS_SMSC_LOGIN", global = true)]
    pub sms_smsc_login: Option<String>,
    #[arg(
        long,
        env = "KEZEK_SMS_SMSC_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub sms_smsc_password: Option<Secret>,
    /// Register of individuals: embedded (a table filled by `kezek registry import`) or http.
    #[arg(long, env = "KEZEK_REGISTRY", global = true)]
    pub registry: Option<String>,
    /// Base URL of the register's HTTP gateway.
    #[arg(long, env = "KEZEK_REGISTRY_URL", global = true)]
    pub registry_url: Option<String>,
    #[arg(
        long,
        env = "KEZEK_REGISTRY_TOKEN",
        global = true,
        hide_env_values = true
    )]
    pub registry_token: Option<Secret>,
    /// Where uploaded files are kept: local (under the data dir) or s3.
    #[arg(long, env = "KEZEK_STORAGE", global = true)]
    pub storage: Option<String>,
    /// Base URL of the S3-compatible object store, e.g. https://s3.example.kz
    #[arg(long, env = "KEZEK_STORAGE_S3_ENDPOINT", global = true)]
    pub storage_s3_endpoint: Option<String>,
    /// Bucket the files go to (addressed path-style: {endpoint}/{bucket}/{key}).
    #[arg(long, env = "KEZEK_STORAGE_S3_BUCKET", global = true)]
    pub storage_s3_bucket: Option<String>,
    /// Region the requests are signed for; default us-east-1.
    #[arg(long, env = "KEZEK_STORAGE_S3_REGION", global = true)]
    pub storage_s3_region: Option<String>,
    #[arg(long, env = "KEZEK_STORAGE_S3_ACCESS_KEY", global = true)]
    pub storage_s3_access_key: Option<String>,
    #[arg(
        long,
        env = "KEZEK_STORAGE_S3_SECRET_KEY",
        global = true,
        hide_env_values = true
    )]
    pub storage_s3_secret_key: Option<Secret>,
    /// Log format: text or json.
    #[arg(long, env = "KEZEK_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// A map tile server, e.g. `https://tiles.example/{z}/{x}/{y}.png`: organizations' pages
    /// then show one tile around the organization. Without it pages use no outside host.
    #[arg(long, env = "KEZEK_MAP_TILE_URL", global = true)]
    pub map_tile_url: Option<String>,
    /// How many seconds the public region-wide figures (home page, statistics) may be reused
    /// before they are counted again; 0 counts them for every request. Default 60.
    #[arg(long, env = "KEZEK_PUBLIC_FIGURES_SECS", global = true)]
    pub public_figures_secs: Option<u64>,
    /// Seconds a connection may take to send a whole request head, and may stay idle between
    /// requests, before it is closed (slow or stalled clients). Default 10.
    #[arg(long, env = "KEZEK_HEADER_READ_SECS", global = true)]
    pub header_read_secs: Option<u64>,
    /// Seconds a stopping server waits for the requests in flight before it exits anyway.
    /// Default 30.
    #[arg(long, env = "KEZEK_SHUTDOWN_GRACE_SECS", global = true)]
    pub shutdown_grace_secs: Option<u64>,
    /// The key one-time codes are hashed under, at least 32 characters. Kept outside the
    /// database, a dump or backup of it gives no code away; without it the key is made once and
    /// kept in the database (`server_secrets`).
    #[arg(long, env = "KEZEK_OTP_KEY", global = true, hide_env_values = true)]
    pub otp_key: Option<Secret>,
    /// Requests per second one address may make without a login (pages and API; static files
    /// and /healthz are free). More get 429 with Retry-After. 0 turns the limit off. Default 10.
    #[arg(long, env = "KEZEK_ANONYMOUS_RATE", global = true)]
    pub anonymous_rate: Option<u32>,
    /// How many requests an address may make at once above its rate before it is slowed. Default 40.
    #[arg(long, env = "KEZEK_ANONYMOUS_BURST", global = true)]
    pub anonymous_burst: Option<u32>,
    /// Requests without a login answered at once, over all addresses; more get 429 at once, so
    /// that a crowd of visitors never crowds out the parents who are logged in. 0: no cap.
    /// Default 256.
    #[arg(long, env = "KEZEK_ANONYMOUS_IN_FLIGHT", global = true)]
    pub anonymous_in_flight: Option<usize>,
    /// Milliseconds a rendered public page (queue, bulletin, catalog, home, open-data API) is
    /// reused for visitors without a login; any change made through this process renders it
    /// anew at once. 0 renders every request. Default 1000, at most 60000.
    #[arg(long, env = "KEZEK_PUBLIC_CACHE_MS", global = true)]
    pub public_cache_ms: Option<u64>,
}

impl SettingsInput {
    /// Fills every field left empty here from `fallback`.
    fn or(self, fallback: SettingsInput) -> SettingsInput {
        macro_rules! pick {
            ($($field:ident),* $(,)?) => {
                SettingsInput { $($field: self.$field.or(fallback.$field)),* }
            };
        }
        pick!(
            data_dir,
            database_url,
            database_max_connections,
            addr,
            public_url,
            trust_proxy,
            default_language,
            default_region,
            contact_phones,
            session_idle_minutes,
            session_absolute_hours,
            hashing_concurrency,
            sms_gateway,
            sms_sender,
            sms_mobizon_url,
            sms_mobizon_api_key,
            sms_smsc_url,
            sms_smsc_login,
            sms_smsc_password,
            registry,
            registry_url,
            registry_token,
            otp_key,
            storage,
            storage_s3_endpoint,
            storage_s3_bucket,
            storage_s3_region,
            storage_s3_access_key,
            storage_s3_secret_key,
            log_format,
            map_tile_url,
            public_figures_secs,
            header_read_secs,
            shutdown_grace_secs,
            anonymous_rate,
            anonymous_burst,
            anonymous_in_flight,
            public_cache_ms,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsSettings {
    File,
    Mobizon {
        url: String,
        api_key: Secret,
    },
    Smsc {
        url: String,
        login: String,
        password: Secret,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistrySettings {
    Embedded,
    Http { url: String, token: Option<Secret> },
}

/// Where uploaded files are kept (see src/storage.rs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageSettings {
    /// Under `<data-dir>/files`.
    Local,
    S3(S3Settings),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Settings {
    /// `http(s)://host[:port][/prefix]`, without the bucket.
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key: String,
    pub secret_key: Secret,
}

/// The shortest `otp_key` taken: 32 random characters are well beyond any offline search.
pub const MIN_OTP_KEY_CHARS: usize = 32;

/// The resolved settings a running Kezek uses.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database_url: Secret,
    pub database_max_connections: u32,
    pub addr: SocketAddr,
    pub public_url: Option<String>,
    pub secure_cookies: bool,
    pub trust_proxy: bool,
    pub default_language: String,
    pub default_region: String,
    pub contact_phones: Vec<String>,
    pub session_idle_secs: i64,
    pub session_absolute_secs: i64,
    pub hashing_concurrency: usize,
    pub sms: SmsSettings,
    pub sms_sender: Option<String>,
    pub registry: RegistrySettings,
    pub storage: StorageSettings,
    pub log_json: bool,
    /// `{z}`, `{x}` and `{y}` in it stand for the tile's zoom and numbers.
    pub map_tile_url: Option<String>,
    /// How long the public region-wide figures are reused.
    pub public_figures_ttl: std::time::Duration,
    /// Longest wait for a request head, and for the next request on an idle connection.
    pub header_read_timeout: std::time::Duration,
    /// Longest wait for the requests in flight when the server stops.
    pub shutdown_grace: std::time::Duration,
    /// How many register look-ups an account and an address may make (fixed; tests that add
    /// many children to one family raise them).
    pub registry_lookup_limits: crate::registry::lookups::LookupLimits,
    /// The key one-time codes are hashed under, when it is kept outside the database.
    pub otp_key: Option<Secret>,
    /// How much traffic without a login is answered (see `SettingsInput::anonymous_rate`).
    pub anonymous_limits: AnonymousLimits,
    /// How long a rendered public page is reused for visitors without a login; zero: never.
    pub public_cache_ttl: std::time::Duration,
}

/// The limits on requests without a login: per address (a token bucket of `burst` refilled at
/// `rate` a second) and over all addresses (`in_flight` at once). Zero turns either off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnonymousLimits {
    pub rate: u32,
    pub burst: u32,
    pub in_flight: usize,
}

impl AnonymousLimits {
    /// No limit at all (tests that make hundreds of requests from one address).
    pub const OFF: AnonymousLimits = AnonymousLimits {
        rate: 0,
        burst: 0,
        in_flight: 0,
    };
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read the config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid config file {path}: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("invalid setting {name}: {reason}")]
    Invalid { name: &'static str, reason: String },
}

fn invalid(name: &'static str, reason: impl Into<String>) -> SettingsError {
    SettingsError::Invalid {
        name,
        reason: reason.into(),
    }
}

impl Settings {
    /// Opens the pool on the configured database (not migrating it).
    pub async fn open_database(&self) -> anyhow::Result<crate::db::Db> {
        crate::db::Db::connect_url(self.database_url.expose(), self.database_max_connections).await
    }

    /// Merges flags/environment with the optional config file and checks the result.
    pub fn load(
        cli: SettingsInput,
        config_file: Option<&std::path::Path>,
    ) -> Result<Settings, SettingsError> {
        let file = match config_file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                toml::from_str(&text).map_err(|source| SettingsError::Parse {
                    path: path.to_owned(),
                    source,
                })?
            }
            None => SettingsInput::default(),
        };
        Self::resolve(cli.or(file))
    }

    pub fn resolve(input: SettingsInput) -> Result<Settings, SettingsError> {
        let data_dir = input
            .data_dir
            .unwrap_or_else(|| PathBuf::from("kezek-data"));
        let database_url = input.database_url.unwrap_or_else(|| {
            Secret::new(format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("kezek.db").display()
            ))
        });
        let url = database_url.expose();
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            return Err(invalid(
                "database_url",
                "must start with sqlite: or postgres://",
            ));
        }
        let default_language = input.default_language.unwrap_or_else(|| "ru".into());
        if !["kk", "ru", "en"].contains(&default_language.as_str()) {
            return Err(invalid("default_language", "must be kk, ru or en"));
        }
        let default_region = input.default_region.unwrap_or_else(|| "71".into());
        if crate::domain::region::find(&default_region).is_none() {
            return Err(invalid(
                "default_region",
                format!("{default_region} is not a region's 2-digit KATO code"),
            ));
        }
        let sms = match input.sms_gateway.as_deref().unwrap_or("file") {
            "file" => SmsSettings::File,
            "mobizon" => SmsSettings::Mobizon {
                url: input
                    .sms_mobizon_url
                    .unwrap_or_else(|| "https://api.mobizon.kz".into()),
                api_key: input
                    .sms_mobizon_api_key
                    .ok_or_else(|| invalid("sms_mobizon_api_key", "required for mobizon"))?,
            },
            "smsc" => SmsSettings::Smsc {
                url: input
                    .sms_smsc_url
                    .unwrap_or_else(|| "https://smsc.kz".into()),
                login: input
                    .sms_smsc_login
                    .ok_or_else(|| invalid("sms_smsc_login", "required for smsc"))?,
                password: input
                    .sms_smsc_password
                    .ok_or_else(|| invalid("sms_smsc_password", "required for smsc"))?,
            },
            other => {
                return Err(invalid(
                    "sms_gateway",
                    format!("{other}: expected file, mobizon or smsc"),
                ));
            }
        };
        let registry = match input.registry.as_deref().unwrap_or("embedded") {
            "embedded" => RegistrySettings::Embedded,
            "http" => RegistrySettings::Http {
                url: input
                    .registry_url
                    .ok_or_else(|| invalid("registry_url", "required for the http registry"))?,
                token: input.registry_token,
            },
            other => {
                return Err(invalid(
                    "registry",
                    format!("{other}: expected embedded or http"),
                ));
            }
        };
        let storage = match input.storage.as_deref().unwrap_or("local") {
            "local" => StorageSettings::Local,
            "s3" => StorageSettings::S3(S3Settings {
                endpoint: s3_endpoint(input.storage_s3_endpoint)?,
                bucket: s3_bucket(input.storage_s3_bucket)?,
                region: input
                    .storage_s3_region
                    .unwrap_or_else(|| "us-east-1".into()),
                access_key: input
                    .storage_s3_access_key
                    .ok_or_else(|| invalid("storage_s3_access_key", "required for s3"))?,
                secret_key: input
                    .storage_s3_secret_key
                    .ok_or_else(|| invalid("storage_s3_secret_key", "required for s3"))?,
            }),
            other => {
                return Err(invalid("storage", format!("{other}: expected local or s3")));
            }
        };
        let log_json = match input.log_format.as_deref().unwrap_or("text") {
            "text" => false,
            "json" => true,
            other => {
                return Err(invalid(
                    "log_format",
                    format!("{other}: expected text or json"),
                ));
            }
        };
        let secure_cookies = input
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        let positive = |name: &'static str, v: i64| {
            if v > 0 {
                Ok(v)
            } else {
                Err(invalid(name, "must be positive"))
            }
        };
        // An hour at most: the server's timers are deadlines, and a huge one would overflow.
        let seconds_within = |name: &'static str, v: u64, min: u64| {
            if (min..=3600).contains(&v) {
                Ok(v)
            } else {
                Err(invalid(name, format!("must be from {min} to 3600 seconds")))
            }
        };
        Ok(Settings {
            database_max_connections: input.database_max_connections.unwrap_or(
                if database_url.expose().starts_with("sqlite:") {
                    8
                } else {
                    20
                },
            ),
            data_dir,
            database_url,
            addr: input
                .addr
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            public_url: input.public_url,
            secure_cookies,
            trust_proxy: input.trust_proxy.unwrap_or(false),
            default_language,
            default_region,
            contact_phones: input.contact_phones.unwrap_or_else(|| vec!["1414".into()]),
            session_idle_secs: positive(
                "session_idle_minutes",
                input.session_idle_minutes.unwrap_or(30),
            )? * 60,
            session_absolute_secs: positive(
                "session_absolute_hours",
                input.session_absolute_hours.unwrap_or(12),
            )? * 3600,
            hashing_concurrency: input.hashing_concurrency.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(2, |n| n.get().max(2))
            }),
            sms,
            sms_sender: input.sms_sender,
            registry,
            storage,
            log_json,
            map_tile_url: map_tile_url(input.map_tile_url)?,
            public_figures_ttl: std::time::Duration::from_secs(
                input.public_figures_secs.unwrap_or(60),
            ),
            header_read_timeout: std::time::Duration::from_secs(seconds_within(
                "header_read_secs",
                input.header_read_secs.unwrap_or(10),
                1,
            )?),
            shutdown_grace: std::time::Duration::from_secs(seconds_within(
                "shutdown_grace_secs",
                input.shutdown_grace_secs.unwrap_or(30),
                0,
            )?),
            registry_lookup_limits: Default::default(),
            anonymous_limits: anonymous_limits(
                input.anonymous_rate,
                input.anonymous_burst,
                input.anonymous_in_flight,
            )?,
            public_cache_ttl: std::time::Duration::from_millis(match input.public_cache_ms {
                Some(ms) if ms > 60_000 => {
                    return Err(invalid("public_cache_ms", "at most 60000 milliseconds"));
                }
                ms => ms.unwrap_or(1000),
            }),
            otp_key: match input.otp_key {
                Some(key) if key.expose().chars().count() < MIN_OTP_KEY_CHARS => {
                    return Err(invalid(
                        "otp_key",
                        format!("at least {MIN_OTP_KEY_CHARS} characters"),
                    ));
                }
                key => key,
            },
        })
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.expose().starts_with("postgres")
    }

    pub fn sms_outbox_path(&self) -> PathBuf {
        self.data_dir.join("sms-outbox.jsonl")
    }

    /// `scheme://host[:port]` of the map tile server, for the pages' Content-Security-Policy.
    pub fn map_tile_origin(&self) -> Option<String> {
        let url = reqwest::Url::parse(&tile_template_as_url(self.map_tile_url.as_deref()?)).ok()?;
        Some(url.origin().ascii_serialization())
    }
}

/// The anonymous limits with their defaults; a burst below one second's rate would refuse a
/// visitor who keeps to the rate.
fn anonymous_limits(
    rate: Option<u32>,
    burst: Option<u32>,
    in_flight: Option<usize>,
) -> Result<AnonymousLimits, SettingsError> {
    let rate = rate.unwrap_or(10);
    let burst = burst.unwrap_or(40.max(rate));
    if rate > 0 && burst < rate {
        return Err(invalid(
            "anonymous_burst",
            format!("must be at least anonymous_rate ({rate})"),
        ));
    }
    if rate > 1_000_000 {
        return Err(invalid("anonymous_rate", "at most 1000000"));
    }
    if in_flight.is_some_and(|n| n > 1_000_000) {
        return Err(invalid("anonymous_in_flight", "at most 1000000"));
    }
    Ok(AnonymousLimits {
        rate,
        burst,
        in_flight: in_flight.unwrap_or(256),
    })
}

/// The tile template with its placeholders filled, so that it parses as a URL.
fn tile_template_as_url(template: &str) -> String {
    template
        .replace("{z}", "0")
        .replace("{x}", "0")
        .replace("{y}", "0")
}

/// An http(s) address with a host and the `{z}`, `{x}`, `{y}` placeholders; empty means none.
fn map_tile_url(value: Option<String>) -> Result<Option<String>, SettingsError> {
    let name = "map_tile_url";
    let Some(value) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if !["{z}", "{x}", "{y}"].iter().all(|p| value.contains(p)) {
        return Err(invalid(name, "must hold {z}, {x} and {y}"));
    }
    let url = reqwest::Url::parse(&tile_template_as_url(&value))
        .map_err(|e| invalid(name, e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid(name, "must be an http:// or https:// address"));
    }
    Ok(Some(value))
}

/// An http(s) URL with a host and no credentials in it (those go in their own, secret, settings).
fn s3_endpoint(value: Option<String>) -> Result<String, SettingsError> {
    let name = "storage_s3_endpoint";
    let value = value.ok_or_else(|| invalid(name, "required for s3"))?;
    let url = reqwest::Url::parse(&value).map_err(|e| invalid(name, e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid(name, "must be an http:// or https:// address"));
    }
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() {
        return Err(invalid(name, "must hold neither credentials nor a query"));
    }
    Ok(value)
}

/// S3's bucket naming rules, which also keep the name safe in a URL path unescaped.
fn s3_bucket(value: Option<String>) -> Result<String, SettingsError> {
    let name = "storage_s3_bucket";
    let value = value.ok_or_else(|| invalid(name, "required for s3"))?;
    let ok = (3..=63).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    if ok {
        Ok(value)
    } else {
        Err(invalid(name, "3-63 lowercase letters, digits, '-' or '.'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_the_file() {
        let cli = SettingsInput {
            default_language: Some("kk".into()),
            ..Default::default()
        };
        let file: SettingsInput =
            toml::from_str("default_language = \"en\"\ndefault_region = \"75\"").unwrap();
        let s = Settings::resolve(cli.or(file)).unwrap();
        assert_eq!(s.default_language, "kk");
        assert_eq!(s.default_region, "75");
    }

    #[test]
    fn secrets_are_not_printed() {
        let input = SettingsInput {
            database_url: Some(Secret::new("postgres://u:hunter2@db/kezek")),
            sms_gateway: Some("mobizon".into()),
            sms_mobizon_api_key: Some(Secret::new("topsecretkey")),
            ..Default::default()
        };
        let printed = format!("{:?}", Settings::resolve(input).unwrap());
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains("topsecretkey"), "{printed}");
        assert_eq!(
            redact_url("postgres://u:hunter2@db/kezek"),
            "postgres://u:***@db/kezek"
        );
    }

    #[test]
    fn the_server_timeouts_default_and_are_bounded() {
        let s = Settings::resolve(SettingsInput::default()).unwrap();
        assert_eq!(s.header_read_timeout, std::time::Duration::from_secs(10));
        assert_eq!(s.shutdown_grace, std::time::Duration::from_secs(30));
        for (header_read_secs, shutdown_grace_secs) in [(0, 30), (3601, 30), (10, u64::MAX)] {
            let input = SettingsInput {
                header_read_secs: Some(header_read_secs),
                shutdown_grace_secs: Some(shutdown_grace_secs),
                ..Default::default()
            };
            assert!(Settings::resolve(input).is_err());
        }
    }

    #[test]
    fn a_code_key_is_taken_only_when_long_enough() {
        let key = |k: &str| SettingsInput {
            otp_key: Some(Secret::new(k)),
            ..Default::default()
        };
        assert!(Settings::resolve(key(&"k".repeat(31))).is_err());
        let s = Settings::resolve(key(&"k".repeat(32))).unwrap();
        assert_eq!(s.otp_key.map(|k| k.expose().len()), Some(32));
        assert!(
            Settings::resolve(SettingsInput::default())
                .unwrap()
                .otp_key
                .is_none()
        );
    }

    #[test]
    fn bad_values_are_refused() {
        for input in [
            SettingsInput {
                default_language: Some("de".into()),
                ..Default::default()
            },
            SettingsInput {
                default_region: Some("99".into()),
                ..Default::default()
            },
            SettingsInput {
                sms_gateway: Some("smsc".into()),
                ..Default::default()
            },
            SettingsInput {
                database_url: Some(Secret::new("mysql://x")),
                ..Default::default()
            },
        ] {
            assert!(Settings::resolve(input).is_err());
        }
    }

    #[test]
    fn object_storage_is_configured() {
        assert_eq!(
            Settings::resolve(SettingsInput::default()).unwrap().storage,
            StorageSettings::Local
        );
        let file = "storage = \"s3\"\nstorage_s3_endpoint = \"https://s3.example.kz\"\n\
                    storage_s3_bucket = \"kezek-files\"\nstorage_s3_access_key = \"AKID\"\n\
                    storage_s3_secret_key = \"s3cr3t-value\"";
        let s = Settings::resolve(toml::from_str(file).unwrap()).unwrap();
        let StorageSettings::S3(s3) = &s.storage else {
            panic!("s3 expected: {:?}", s.storage)
        };
        assert_eq!(
            (
                s3.bucket.as_str(),
                s3.region.as_str(),
                s3.access_key.as_str()
            ),
            ("kezek-files", "us-east-1", "AKID")
        );
        assert!(!format!("{s:?}").contains("s3cr3t-value"));
        let s3 = |endpoint: &str, bucket: &str| SettingsInput {
            storage: Some("s3".into()),
            storage_s3_endpoint: Some(endpoint.into()),
            storage_s3_bucket: Some(bucket.into()),
            storage_s3_access_key: Some("AKID".into()),
            storage_s3_secret_key: Some(Secret::new("x")),
            ..Default::default()
        };
        assert!(Settings::resolve(s3("http://127.0.0.1:9000", "files")).is_ok());
        for (endpoint, bucket) in [
            ("ftp://s3.example.kz", "files"),
            ("https://user:pw@s3.example.kz", "files"),
            ("https://s3.example.kz", "Files"),
            ("https://s3.example.kz", "a/b"),
        ] {
            assert!(
                Settings::resolve(s3(endpoint, bucket)).is_err(),
                "{endpoint} {bucket}"
            );
        }
        let mut no_secret = s3("https://s3.example.kz", "files");
        no_secret.storage_s3_secret_key = None;
        assert!(Settings::resolve(no_secret).is_err());
        let other = SettingsInput {
            storage: Some("ftp".into()),
            ..Default::default()
        };
        assert!(Settings::resolve(other).is_err());
    }

    #[test]
    fn a_map_tile_server_is_optional_and_checked() {
        let none = Settings::resolve(SettingsInput::default()).unwrap();
        assert_eq!(
            (none.map_tile_url.clone(), none.map_tile_origin()),
            (None, None)
        );
        let tiles = |url: &str| {
            Settings::resolve(SettingsInput {
                map_tile_url: Some(url.into()),
                ..Default::default()
            })
        };
        let s = tiles("https://tiles.example:8443/osm/{z}/{x}/{y}.png").unwrap();
        assert_eq!(
            s.map_tile_origin().as_deref(),
            Some("https://tiles.example:8443")
        );
        assert_eq!(tiles(" ").unwrap().map_tile_url, None);
        for bad in [
            "https://tiles.example/{z}/{x}.png",
            "ftp://tiles.example/{z}/{x}/{y}.png",
            "tiles.example/{z}/{x}/{y}.png",
        ] {
            assert!(tiles(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        assert!(toml::from_str::<SettingsInput>("colour = \"blue\"").is_err());
    }
}
