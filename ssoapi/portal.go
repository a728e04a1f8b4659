package ssoapi

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"

	"github.com/iamkit/iamkit/identitycenter"
	"github.com/iamkit/iamkit/sts"
)

// The portal API (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/):
// restJson1 as the SDK's sso client sends it, every operation
// authenticated by the access token of CreateToken in the
// x-amz-sso_bearer_token header.

const (
	bearerHeader = "x-amz-sso_bearer_token"
	// maxTokenHeader bounds the bearer token read; ours are 46 bytes.
	maxTokenHeader = 4096
	// defaultPageSize is ListAccounts' and ListAccountRoles' page when
	// max_result is absent (AWS documents none); maxPageSize is the
	// documented maximum of max_result.
	defaultPageSize = 20
	maxPageSize     = 100
)

type accountInfo struct {
	AccountID    string `json:"accountId"`
	AccountName  string `json:"accountName,omitempty"`
	EmailAddress string `json:"emailAddress,omitempty"`
}

type listAccountsOutput struct {
	AccountList []accountInfo `json:"accountList"`
	NextToken   string        `json:"nextToken,omitempty"`
}

type roleInfo struct {
	AccountID string `json:"accountId"`
	RoleName  string `json:"roleName"`
}

type listAccountRolesOutput struct {
	RoleList  []roleInfo `json:"roleList"`
	NextToken string     `json:"nextToken,omitempty"`
}

type roleCredentials struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SessionToken    string `json:"sessionToken"`
	Expiration      int64  `json:"expiration"`
}

type getRoleCredentialsOutput struct {
	RoleCredentials roleCredentials `json:"roleCredentials"`
}

var portalMethods = map[string]string{pathListAccounts: http.MethodGet, pathListAccountRoles: http.MethodGet,
	pathRoleCredentials: http.MethodGet, pathLogout: http.MethodPost}

// servePortal answers a portal API operation.
func (s *Server) servePortal(w http.ResponseWriter, r *http.Request) {
	id := s.requestID()
	w.Header().Set("x-amzn-RequestId", id)
	out, err := s.portal(w, r)
	if err != nil {
		code, status, msg := portalErrorOf(err)
		writeJSONError(w, status, code, map[string]string{"message": msg})
		return
	}
	if out == nil { // Logout: 200 with no body
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// portalErrorOf maps an error to the portal's code, status and message:
// the model's *identitycenter.Error as it is, an sts failure of the
// session (a user name that is no valid session name) as
// InvalidRequestException, anything else as an opaque internal error.
func portalErrorOf(err error) (string, int, string) {
	var pe *portalError
	var ie *identitycenter.Error
	var se *sts.Error
	switch {
	case errors.As(err, &pe):
		return pe.code, pe.status, pe.message
	case errors.As(err, &ie):
		return ie.Code, ie.HTTPStatusCode(), ie.Message
	case errors.As(err, &se) && se.HTTPStatus < 500:
		return "InvalidRequestException", http.StatusBadRequest, se.Message
	}
	return "InternalServerException", http.StatusInternalServerError, "An internal error occurred."
}

func (s *Server) portal(w http.ResponseWriter, r *http.Request) (any, error) {
	if m := portalMethods[r.URL.Path]; r.Method != m {
		w.Header().Set("Allow", m)
		return nil, &portalError{"InvalidRequestException", http.StatusMethodNotAllowed, "Use " + m + "."}
	}
	g, err := s.bearer(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	switch r.URL.Path {
	case pathListAccounts:
		size, after, err := page(q.Get("max_result"), q.Get("next_token"), q.Has("max_result"))
		if err != nil {
			return nil, err
		}
		accts, err := s.ic.ListAccounts(g.userID)
		if err != nil {
			return nil, err
		}
		out := &listAccountsOutput{AccountList: []accountInfo{}}
		for _, a := range accts {
			if a.AccountID <= after {
				continue
			}
			if len(out.AccountList) == size {
				out.NextToken = pageToken(out.AccountList[size-1].AccountID)
				break
			}
			out.AccountList = append(out.AccountList, accountInfo{AccountID: a.AccountID, AccountName: a.AccountName, EmailAddress: a.EmailAddress})
		}
		return out, nil
	case pathListAccountRoles:
		acct := q.Get("account_id")
		if acct == "" {
			return nil, errPortalInvalidRequest("account_id is required.")
		}
		size, after, err := page(q.Get("max_result"), q.Get("next_token"), q.Has("max_result"))
		if err != nil {
			return nil, err
		}
		roles, err := s.ic.ListAccountRoles(g.userID, acct)
		if err != nil {
			return nil, err
		}
		out := &listAccountRolesOutput{RoleList: []roleInfo{}}
		for _, ro := range roles {
			if ro.RoleName <= after {
				continue
			}
			if len(out.RoleList) == size {
				out.NextToken = pageToken(out.RoleList[size-1].RoleName)
				break
			}
			out.RoleList = append(out.RoleList, roleInfo{AccountID: ro.AccountID, RoleName: ro.RoleName})
		}
		return out, nil
	case pathRoleCredentials:
		acct, role := q.Get("account_id"), q.Get("role_name")
		if acct == "" || role == "" {
			return nil, errPortalInvalidRequest("role_name and account_id are required.")
		}
		c, err := s.ic.RoleCredentials(r.Context(), s.issuer, g.userID, acct, role)
		if err != nil {
			return nil, err
		}
		return &getRoleCredentialsOutput{RoleCredentials: roleCredentials{AccessKeyID: c.AccessKeyID,
			SecretAccessKey: c.SecretAccessKey.Reveal(), SessionToken: c.SessionToken, Expiration: c.ExpirationMillis()}}, nil
	default: // pathLogout
		s.logout(g)
		return nil, nil
	}
}

// bearer returns the token session of the request's access token, and
// counts the call against its rate.
func (s *Server) bearer(r *http.Request) (*grant, error) {
	tok := r.Header.Get(bearerHeader)
	if tok == "" || len(tok) > maxTokenHeader {
		return nil, errPortalUnauthorized()
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.access[digest(tok)]
	var g *grant
	if ok {
		g, ok = s.grants.get(now, id)
	}
	if !ok || !now.Before(g.accessExpires) {
		return nil, errPortalUnauthorized()
	}
	if !g.rate.allow(now, s.portalInterval, s.portalBurst) {
		return nil, errPortalTooManyRequests()
	}
	cp := *g
	return &cp, nil
}

// logout is Logout: it ends the token session (access and refresh
// token) and the browser session that approved it, so the next sign-in
// asks for the password again. Role credentials already issued last
// until they expire, as AWS's do
// (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_Logout.html).
func (s *Server) logout(g *grant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.grants.del(g.id)
	s.browsers.del(g.browser)
}

// page reads max_result (1 to 100) and next_token.
func page(maxResult, next string, hasMax bool) (int, string, error) {
	size := defaultPageSize
	if hasMax {
		n, err := strconv.Atoi(maxResult)
		if err != nil || n < 1 || n > maxPageSize {
			return 0, "", errPortalInvalidRequest("max_result must be a number from 1 to 100.")
		}
		size = n
	}
	if next == "" {
		return size, "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(next)
	if err != nil || len(b) < 2 || b[0] != 'p' || b[1] != ':' {
		return 0, "", errPortalInvalidRequest("Invalid next_token.")
	}
	return size, string(b[2:]), nil
}

// pageToken is the next_token after a page ending with last: a cursor,
// so pages stay right while assignments change.
func pageToken(last string) string { return base64.RawURLEncoding.EncodeToString([]byte("p:" + last)) }
