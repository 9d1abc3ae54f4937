package io.aimp.gateway.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web console: static ES modules from the jar at {@code /console/}, its libraries from WebJars at
 * {@code /console/lib/}, and {@code /} and {@code /console} redirecting there. The console is a client of the public REST
 * API like any other; it has no endpoints of its own.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleWebConfig implements WebMvcConfigurer {

    static final String ASSETS = "classpath:/console/";
    static final String WEBJARS = "classpath:/META-INF/resources/webjars/";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/lib/**").addResourceLocations(WEBJARS);
        registry.addResourceHandler("/console/**").addResourceLocations(ASSETS);
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", "/console/");
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
        // the accept_url of an invitation (/console/invite#<token>): the page reads the token from the fragment
        registry.addViewController("/console/invite").setViewName("forward:/console/index.html");
    }
}
