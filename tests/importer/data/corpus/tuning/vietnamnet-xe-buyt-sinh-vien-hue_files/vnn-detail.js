/* saved page script */
(function(){"use strict";window.siteReady=true;})();
