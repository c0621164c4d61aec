package deploy

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/aws/smithy-go"
	"gocloud.dev/gcerrors"
)

// Error is a deploy that failed talking to the store. It prints as one line
// that says what failed in words a person can act on, such as
// "deploy to s3://bucket: upload index.html: credentials refused (AccessDenied)".
type Error struct {
	Store string // the store, as printed by storeName
	Op    string // what was being done: "open", "list", "upload KEY", "delete KEY"
	Err   error
}

func (e *Error) Error() string {
	return "deploy to " + e.Store + ": " + e.Op + ": " + Explain(e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// The API error codes, across the S3-compatible stores, that mean the
// credentials were missing, wrong or not allowed to do this.
var credentialCodes = []string{
	"AccessDenied", "Forbidden", "InvalidAccessKeyId", "SignatureDoesNotMatch",
	"ExpiredToken", "InvalidToken", "TokenRefreshRequired", "AuthorizationHeaderMalformed",
	"AuthenticationFailed", "AuthorizationFailure", "AuthorizationPermissionMismatch",
}

// The codes that mean the store is full or over its quota.
var fullCodes = []string{"QuotaExceeded", "InsufficientStorage", "EntityTooLarge", "StorageQuotaExceeded", "AccountIsDisabled"}

// Explain says in one line why a call to the store failed. It never prints
// a credential: those known from the environment are blanked out of any
// message passed through from the store or its SDK.
func Explain(err error) string {
	var api smithy.APIError
	hasAPI := errors.As(err, &api)
	code := ""
	if hasAPI {
		code = api.ErrorCode()
	}
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.Is(err, context.DeadlineExceeded):
		return "the store did not answer in time"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "cannot reach the store: connection refused"
	case errors.As(err, &dns):
		return "cannot reach the store: no such host " + dns.Name
	case errors.As(err, &op):
		return "cannot reach the store: " + scrub(op.Err.Error())
	case errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT):
		return "the store is full"
	case hasAPI && containsCode(credentialCodes, code):
		return "credentials refused (" + code + ")"
	case hasAPI && containsCode(fullCodes, code):
		return "the store is full or over its quota (" + code + ")"
	case hasAPI && code == "NoSuchBucket":
		return "no such bucket"
	case errors.Is(err, os.ErrPermission):
		return "permission denied: " + scrub(err.Error())
	}
	switch gcerrors.Code(err) {
	case gcerrors.PermissionDenied:
		return "credentials refused"
	case gcerrors.ResourceExhausted:
		return "the store is full or over its quota"
	}
	if hasAPI {
		return scrub(code + ": " + api.ErrorMessage())
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return scrub(pe.Error())
	}
	// gocloud prefixes the driver's error with the key and a code, which
	// the message already says or which say nothing.
	for strings.HasPrefix(err.Error(), "blob (") && errors.Unwrap(err) != nil {
		err = errors.Unwrap(err)
	}
	return scrub(err.Error())
}

func containsCode(codes []string, code string) bool {
	for _, c := range codes {
		if strings.EqualFold(c, code) {
			return true
		}
	}
	return false
}

// secretVars are the environment variables through which the cloud SDKs
// take secrets.
var secretVars = []string{
	"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AZURE_STORAGE_KEY", "AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGEBLOB_CONNECTIONSTRING", "AZURE_CLIENT_SECRET",
}

// scrub makes msg one line and blanks out any secret the environment holds.
func scrub(msg string) string {
	for _, v := range secretVars {
		if s := os.Getenv(v); len(s) >= 4 {
			msg = strings.ReplaceAll(msg, s, "[hidden]")
		}
	}
	return strings.Join(strings.Fields(msg), " ")
}
