package mock

import (
	"fmt"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/ncpmock/ncpmock/apigw"
)

// Authentication modes of AuthConfig.Mode.
const (
	// AuthNone checks no credentials (the default).
	AuthNone = "none"
	// AuthNCP requires API Gateway signature v2 headers on every API request.
	AuthNCP = "ncp"
)

// AuthConfig configures authentication emulation. The zero value checks
// nothing.
type AuthConfig struct {
	// Mode is AuthNone ("" too) or AuthNCP.
	Mode string
	// Credentials are the key pairs accepted under AuthNCP; at least one is
	// required there.
	Credentials []apigw.Credentials
	// MaxSkew is how far a timestamp may be from the server's clock (Config.Now);
	// zero means apigw.DefaultMaxSkew, 5 minutes.
	MaxSkew time.Duration
}

// newVerifier returns the verifier of cfg, nil when no authentication is
// configured.
func (cfg *Config) newVerifier() (*apigw.Verifier, error) {
	switch cfg.Auth.Mode {
	case "", AuthNone:
		if len(cfg.Auth.Credentials) > 0 {
			// Keys without the mode that checks them would be ignored:
			// a test would believe it exercises authentication.
			return nil, &ConfigError{Field: "Auth.Mode", Value: cfg.Auth.Mode, Err: fmt.Errorf(
				"auth: %d credentials given with mode %q, which checks none; set Mode: %q", len(cfg.Auth.Credentials), cfg.Auth.Mode, AuthNCP)}
		}
		return nil, nil
	case AuthNCP:
		v, err := apigw.NewVerifier(apigw.VerifierConfig{
			Credentials: cfg.Auth.Credentials, MaxSkew: cfg.Auth.MaxSkew, Now: cfg.Now,
		})
		if err != nil {
			return nil, verifierConfigError(cfg.Auth, err)
		}
		return v, nil
	}
	return nil, &ConfigError{Field: "Auth.Mode", Value: cfg.Auth.Mode,
		Err: fmt.Errorf("auth mode %q: want %s or %s", cfg.Auth.Mode, AuthNone, AuthNCP)}
}

// verifierConfigError names the field behind apigw.NewVerifier's error,
// which checks, in this order, that there are credentials, that MaxSkew is
// not negative, then each key pair. Credentials hold secret keys: their
// Value stays empty.
func verifierConfigError(a AuthConfig, err error) *ConfigError {
	ce := &ConfigError{Field: "Auth.Credentials", Err: fmt.Errorf("auth %s: %w", AuthNCP, err)}
	if len(a.Credentials) > 0 && a.MaxSkew < 0 {
		ce.Field, ce.Value = "Auth.MaxSkew", a.MaxSkew.String()
	}
	return ce
}

// ctxAccessKey is the echo.Context key of the caller's verified access key.
const ctxAccessKey = "ncpmock.accessKey"

// authenticate lets a request through to an API handler only when its
// signature headers verify; otherwise it returns the verifier's error, which
// handleError turns into the gateway's 401.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.verifier == nil {
			return next(c)
		}
		key, err := s.verifier.Verify(c.Request())
		if err != nil {
			s.authRefused.Add(1)
			return err
		}
		c.Set(ctxAccessKey, key)
		return next(c)
	}
}
