package linkstats

import "strings"

// previewAgents are parts of the user agents of link-preview fetchers: the
// apps that open a link to show its card when it is pasted into a chat or a
// post. Their fetches are not people viewing the page. Lower case.
var previewAgents = [...]string{
	"whatsapp",
	"facebookexternalhit",
	"facebot",
	"twitterbot",
	"telegrambot",
	"slackbot",
	"slack-imgproxy",
	"linkedinbot",
	"discordbot",
	"skypeuripreview",
	"microsoftpreview",
	"googlebot",
	"bingbot",
	"applebot",
	"pinterest",
	"redditbot",
	"embedly",
	"iframely",
	"viber",
	"snapchat",
	"bitlybot",
	"vkshare",
	"mastodon",
}

// IsPreviewBot reports whether userAgent is a link-preview fetcher.
func IsPreviewBot(userAgent string) bool {
	ua := strings.ToLower(userAgent)
	for _, a := range previewAgents {
		if strings.Contains(ua, a) {
			return true
		}
	}
	return false
}
