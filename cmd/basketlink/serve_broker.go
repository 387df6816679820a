package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"basketlink/handlers"
)

// Broker modes.
const (
	brokerTradejini = handlers.BrokerTradejini
	brokerSim       = handlers.BrokerSim
)

// resolveBroker decides the broker mode once the listen address is known:
// the real broker when a client id is set, the simulator on a loopback
// address, and a refusal on a public address with neither, so a fake broker
// never answers real clients by accident.
func (c *serveConfig) resolveBroker(loopback bool) error {
	switch c.Broker {
	case brokerTradejini:
		if c.ClientID == "" {
			return errors.New("--broker tradejini needs TRADEJINI_CLIENT_ID (or --client-id) and the client secret")
		}
	case brokerSim:
	case "":
		switch {
		case c.ClientID != "":
			c.Broker = brokerTradejini
		case loopback:
			c.Broker = brokerSim
		default:
			return fmt.Errorf("--addr %s is reachable from other machines and no Tradejini client is set, so the only broker would be the built-in simulator, which places no real orders: set TRADEJINI_CLIENT_ID and the client secret to use Tradejini, or pass --broker sim (env BASKETLINK_BROKER=sim) to run the simulator on purpose", c.Addr)
		}
	default:
		return fmt.Errorf("--broker must be tradejini or sim, not %q", c.Broker)
	}
	return nil
}

// checkBrokerURL allows https, and http only to this machine (a simulator run
// alone with `basketlink sim`): codes and the client secret travel on it.
func checkBrokerURL(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	if strings.EqualFold(u.Scheme, "https") || isLoopbackHost(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("TRADEJINI_BASE_URL %q must be https (http is allowed only to a loopback address such as 127.0.0.1): the code exchange sends the client secret", base)
}

// isLoopbackHost reports whether a host name or address stays on this machine.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
