// Marks the page as having JavaScript and starts GOV.UK and MoJ Frontend components.
// Kept out of the HTML so the Content-Security-Policy can forbid inline script.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
