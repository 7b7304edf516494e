/* saved copy */
(function(){window.dataLayer=window.dataLayer||[];})();
